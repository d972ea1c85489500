using ChatPlatform.Web.RequestLogs;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// One completion request from admission to its end: its id, its client, its place in the queue, and a token that
/// fires when the client disconnects or Serving:RequestTimeoutSeconds passes, and its lease on the served model version
/// (the version stays loaded until the request ends). Whoever finishes the request disposes it (the handler, or the
/// stream result once the last event is written).
/// </summary>
internal sealed class CompletionRun : IDisposable
{
    private readonly CancellationTokenSource timeout;
    // the request's one log event (RequestLogging writes it when the response ends); null outside the middleware
    private readonly RequestLogEntry? entry = RequestLogEntry.Current;
    private readonly int timeoutSeconds;
    private readonly ModelLease version;
    private IDisposable? lease;

    /// <param name="lease">The served version's lease, released with the run (the version stays loaded until then).</param>
    public CompletionRun(HttpContext http, string model, int timeoutSeconds, ModelLease lease)
    {
        version = lease;
        if (entry is not null) entry.Model = model;
        this.timeoutSeconds = timeoutSeconds;
        Model = model;
        Client = ClientIdentity.Of(http);
        Aborted = http.RequestAborted;
        timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        http.Response.Headers["x-request-id"] = Id;
    }

    public string Id { get; } = "chatcmpl-" + Guid.NewGuid().ToString("N");
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    public string Model { get; }
    public string Client { get; }
    public CancellationToken Aborted { get; }
    /// <summary>Client gone or time up.</summary>
    public CancellationToken Token => timeout.Token;
    public bool TimedOut => timeout.IsCancellationRequested && !Aborted.IsCancellationRequested;

    public async Task EnterAsync(FairRequestQueue queue)
    {
        try
        {
            lease = await queue.EnterAsync(Client, Token);
        }
        catch (OperationCanceledException) when (TimedOut)
        {
            throw Timeout();
        }
    }

    public RequestTimeoutException Timeout() => new(timeoutSeconds);

    /// <summary>Records the finished completion in the request's log event.</summary>
    public void LogCompleted(UsageDetails? usage, string finishReason)
    {
        if (entry is null) return;
        entry.PromptTokens = (int)(usage?.InputTokenCount ?? 0);
        entry.CachedPromptTokens = (int)(usage?.CachedInputTokenCount ?? 0);
        entry.CompletionTokens = (int)(usage?.OutputTokenCount ?? 0);
        entry.FinishReason = finishReason;
    }

    /// <summary>Records why the completion ended early (client gone, timeout, an error after the stream began).</summary>
    public void LogAbandoned(string reason)
    {
        if (entry is not null) entry.Outcome = reason;
    }

    public void Dispose()
    {
        lease?.Dispose();
        timeout.Dispose();
        version.Dispose();
    }
}
