using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// A streamed completion as server-sent events: <c>data: {chunk}\n\n</c> per piece of text (the first carries the
/// role), a chunk with finish_reason, with stream_options.include_usage a last chunk holding only usage, then
/// <c>data: [DONE]</c>. With retrieval, a chunk with no choices and the answer's <c>citations</c> follows the finish_reason
/// chunk. A failure after the 200 is sent ends the stream with an error event, as OpenAI does.
/// When the client disconnects, disposing the update stream stops generation within one token.
/// </summary>
internal sealed class ChatCompletionStream(CompletionRun run, IAsyncEnumerator<ChatResponseUpdate> updates, bool hasFirst, bool includeUsage)
    : IResult
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var body = http.Response.Body;
        try
        {
            await WriteAsync(body, Chunk(new ChatCompletionDelta(Role: "assistant", Content: "")));
            UsageDetails? usage = null;
            ChatFinishReason? finish = null;
            IReadOnlyList<CompletionCitation>? citations = null;
            for (var more = hasFirst; more; more = await updates.MoveNextAsync())
            {
                var update = updates.Current;
                if (update.Text.Length > 0) await WriteAsync(body, Chunk(new ChatCompletionDelta(Content: update.Text)));
                usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
                citations ??= CompletionCitation.From(update.AdditionalProperties);
                finish ??= update.FinishReason;
            }
            var reason = ChatCompletionEndpoint.FinishReasonOf(finish);
            await WriteAsync(body, Chunk(new ChatCompletionDelta(), reason));
            // with retrieval: the sources in a chunk of their own (no choices, as the usage chunk), which OpenAI clients skip
            if (citations is not null) await WriteAsync(body, new ChatCompletionChunk(run.Id, run.Created, run.Model, [], Citations: citations));
            if (includeUsage)
                await WriteAsync(body, new ChatCompletionChunk(run.Id, run.Created, run.Model, [], ChatCompletionEndpoint.UsageOf(usage)));
            await body.WriteAsync(Done, run.Aborted);
            await body.FlushAsync(run.Aborted);
            run.LogCompleted(usage, reason);
        }
        catch (OperationCanceledException) when (run.Aborted.IsCancellationRequested)
        {
            run.LogAbandoned("client disconnected");
        }
        catch (OperationCanceledException) when (run.TimedOut)
        {
            run.LogAbandoned("timeout");
            await WriteErrorAsync(body, run.Timeout().Message, "timeout");
        }
        catch (Exception e) when (!run.Aborted.IsCancellationRequested)
        {
            run.LogAbandoned(e.GetType().Name + ": " + e.Message);
            await WriteErrorAsync(body, "The server had an error while processing your request.", null);
        }
        finally
        {
            await updates.DisposeAsync();  // cancels the generation if it is still running
            run.Dispose();
        }
    }

    private ChatCompletionChunk Chunk(ChatCompletionDelta delta, string? finishReason = null) =>
        new(run.Id, run.Created, run.Model, [new ChatCompletionChunkChoice(0, delta, finishReason)]);

    private async Task WriteAsync<T>(Stream body, T payload)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(payload, OpenAiJson.Options);
        var frame = new byte[json.Length + 8];
        "data: "u8.CopyTo(frame);
        json.CopyTo(frame, 6);
        "\n\n"u8.CopyTo(frame.AsSpan(6 + json.Length));
        await body.WriteAsync(frame, run.Aborted);
        await body.FlushAsync(run.Aborted);
    }

    private async Task WriteErrorAsync(Stream body, string message, string? code)
    {
        try
        {
            await WriteAsync(body, new OpenAiError(new OpenAiError.Detail(message, "server_error", null, code)));
        }
        catch (Exception) when (run.Aborted.IsCancellationRequested)
        {
            // the client left while we were reporting the error
        }
    }
}
