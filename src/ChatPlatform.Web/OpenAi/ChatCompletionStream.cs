using System.Buffers;
using System.IO.Pipelines;
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
/// Events go to the response's pipe and are flushed only when the next update is not ready yet: one send per token
/// while the client keeps up, and when the server falls behind (many streams on few cores) the tokens already made
/// leave together instead of costing a send, and a wake-up of the client, each.
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
        var body = http.Response.BodyWriter;
        try
        {
            Write(body, Chunk(new ChatCompletionDelta(Role: "assistant", Content: "")));
            UsageDetails? usage = null;
            ChatFinishReason? finish = null;
            IReadOnlyList<CompletionCitation>? citations = null;
            for (var more = hasFirst; more;)
            {
                var update = updates.Current;
                if (update.Text.Length > 0) Write(body, Chunk(new ChatCompletionDelta(Content: update.Text)));
                usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
                citations ??= CompletionCitation.From(update.AdditionalProperties);
                finish ??= update.FinishReason;
                var next = updates.MoveNextAsync();
                if (!next.IsCompleted) await body.FlushAsync(run.Aborted);
                more = await next;
            }
            var reason = ChatCompletionEndpoint.FinishReasonOf(finish);
            Write(body, Chunk(new ChatCompletionDelta(), reason));
            // with retrieval: the sources in a chunk of their own (no choices, as the usage chunk), which OpenAI clients skip
            if (citations is not null) Write(body, new ChatCompletionChunk(run.Id, run.Created, run.Model, [], Citations: citations));
            if (includeUsage)
                Write(body, new ChatCompletionChunk(run.Id, run.Created, run.Model, [], ChatCompletionEndpoint.UsageOf(usage)));
            body.Write(Done.AsSpan());
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

    /// <summary>One event into the pipe, not yet sent.</summary>
    private static void Write<T>(PipeWriter body, T payload)
    {
        body.Write("data: "u8);
        body.Write(JsonSerializer.SerializeToUtf8Bytes(payload, OpenAiJson.Options));
        body.Write("\n\n"u8);
    }

    private async Task WriteErrorAsync(PipeWriter body, string message, string? code)
    {
        try
        {
            Write(body, new OpenAiError(new OpenAiError.Detail(message, "server_error", null, code)));
            await body.FlushAsync(run.Aborted);
        }
        catch (Exception) when (run.Aborted.IsCancellationRequested)
        {
            // the client left while we were reporting the error
        }
    }
}
