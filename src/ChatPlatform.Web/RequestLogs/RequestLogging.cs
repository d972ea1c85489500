using System.Diagnostics;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.RequestLogs;

/// <summary>
/// One structured log event per /v1 and widget request, written when the response ends: request id, method, route,
/// client (API key id or hash, or site key and IP; never a key itself), status, model, prompt and completion tokens,
/// time to first token, duration, finish reason and outcome. Message contents only with
/// RequestLogs:IncludeMessageContents. Runs first, so refused requests (401, 403, 429) are logged too.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, IOptions<RequestLogOptions> options, ILogger<RequestLogging> log)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        if (!path.StartsWithSegments("/v1") && !path.StartsWithSegments("/api/widget"))
        {
            await next(http);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var entry = new RequestLogEntry(options.Value.IncludeMessageContents, started);
        RequestLogEntry.Current = entry;
        try
        {
            await next(http);
        }
        catch (Exception e)
        {
            entry.Outcome ??= http.RequestAborted.IsCancellationRequested ? "client disconnected" : e.GetType().Name;
            throw;
        }
        finally
        {
            RequestLogEntry.Current = null;
            Write(http, entry, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private void Write(HttpContext http, RequestLogEntry e, long durationMs)
    {
        var requestId = http.Response.Headers["x-request-id"].ToString() is { Length: > 0 } id ? id : http.TraceIdentifier;
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.ToString();
        var status = http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted ? 499 : http.Response.StatusCode;
        var client = http.Request.Path.StartsWithSegments("/api/widget")
            ? $"site:{Printable(http.Request.Query["key"].ToString())} {ClientIdentity.Of(http)}"
            : ClientIdentity.Of(http);
        if (e.CapturesContents)
            RequestLog.CompletedWithContents(log, requestId, http.Request.Method, route, client, status, e.Model, e.PromptTokens, e.CachedPromptTokens, e.CompletionTokens,
                e.FirstTokenMs, durationMs, e.FinishReason, e.Outcome, e.Prompt, e.Completion);
        else
            RequestLog.Completed(log, requestId, http.Request.Method, route, client, status, e.Model, e.PromptTokens, e.CachedPromptTokens, e.CompletionTokens,
                e.FirstTokenMs, durationMs, e.FinishReason, e.Outcome);
    }

    // The site key comes from the query string as the visitor sent it: no control characters (forged log lines), bounded.
    private static string Printable(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return clean.Length == 0 ? "-" : clean;
    }
}

/// <summary>The request log's events (message templates, so every field stays queryable in a structured sink).</summary>
internal static partial class RequestLog
{
    public const int EventId = 100;

    [LoggerMessage(EventId, LogLevel.Information,
        "Request {RequestId} {Method} {Route} client {Client} status {Status} model {Model}: {PromptTokens} prompt ({CachedPromptTokens} cached) + {CompletionTokens} completion tokens, first token {TtftMs} ms, {DurationMs} ms, finish {FinishReason} {Outcome}")]
    public static partial void Completed(ILogger log, string requestId, string method, string route, string client, int status, string? model,
        int? promptTokens, int? cachedPromptTokens, int? completionTokens, long? ttftMs, long durationMs, string? finishReason, string? outcome);

    [LoggerMessage(EventId + 1, LogLevel.Information,
        "Request {RequestId} {Method} {Route} client {Client} status {Status} model {Model}: {PromptTokens} prompt ({CachedPromptTokens} cached) + {CompletionTokens} completion tokens, first token {TtftMs} ms, {DurationMs} ms, finish {FinishReason} {Outcome}; prompt {Prompt}; completion {Completion}")]
    public static partial void CompletedWithContents(ILogger log, string requestId, string method, string route, string client, int status, string? model,
        int? promptTokens, int? cachedPromptTokens, int? completionTokens, long? ttftMs, long durationMs, string? finishReason, string? outcome, string? prompt, string? completion);
}

/// <summary>How request logging registers itself (the full app and `chatplatform serve` alike).</summary>
public static class RequestLogRegistration
{
    public static WebApplicationBuilder AddRequestLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestLogOptions>().Bind(builder.Configuration.GetSection(RequestLogOptions.Section));
        return builder;
    }

    public static WebApplication UseRequestLogs(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        return app;
    }
}
