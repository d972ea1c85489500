using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// POST /v1/chat/completions. The handler parses and checks the JSON, waits for a turn in the fair queue, and hands the
/// conversation to the model's <see cref="IChatClient"/>, which templates and tokenizes on this thread and generates on
/// the inference thread: no JSON reaches the engine.
/// </summary>
internal static class ChatCompletionEndpoint
{
    public static async Task<Results<JsonHttpResult<ChatCompletion>, ChatCompletionStream>> HandleAsync(HttpContext http,
        ServedModel models, FairRequestQueue queue, IOptions<ServingOptions> options, ILogger<CompletionRun> log)
    {
        ChatCompletionRequest request;
        using (var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted))
            request = ChatCompletionRequest.Parse(body.RootElement);
        // The request answers on the version served now to its end, even if another is activated meanwhile.
        var lease = models.TryLease() ?? throw OpenAiException.NoModel();
        if (request.Model != lease.Id)
        {
            var served = lease.Id;
            lease.Dispose();
            throw OpenAiException.ModelNotFound(request.Model, served);
        }
        var chat = lease.Chat;

        var run = new CompletionRun(http, request.Model, options.Value.RequestTimeoutSeconds, log, lease);
        var handedOver = false;
        try
        {
            await run.EnterAsync(queue);
            if (request.Stream)
            {
                var updates = chat.GetStreamingResponseAsync(request.Messages, request.Options, run.Token).GetAsyncEnumerator(run.Token);
                // The first update comes after templating, tokenizing and prefill: a prompt that does not fit the context
                // is still a 400 here, before the 200 and the event stream begin.
                try
                {
                    var any = await updates.MoveNextAsync();
                    handedOver = true;
                    return new ChatCompletionStream(run, updates, any, request.IncludeUsage);
                }
                finally
                {
                    if (!handedOver) await updates.DisposeAsync();
                }
            }
            var response = await chat.GetResponseAsync(request.Messages, request.Options, run.Token);
            var finish = FinishReasonOf(response.FinishReason);
            run.LogCompleted(response.Usage, finish, stream: false);
            var usage = UsageOf(response.Usage);
            return TypedResults.Json(new ChatCompletion(run.Id, run.Created, run.Model,
                [new ChatCompletionChoice(0, new ChatCompletionMessage("assistant", response.Text), finish)], usage), OpenAiJson.Options);
        }
        catch (OperationCanceledException) when (run.TimedOut)
        {
            run.LogAbandoned("timeout");
            throw run.Timeout();
        }
        catch (OperationCanceledException) when (run.Aborted.IsCancellationRequested)
        {
            run.LogAbandoned("client disconnected");
            throw;
        }
        finally
        {
            if (!handedOver) run.Dispose();
        }
    }

    public static string FinishReasonOf(ChatFinishReason? reason) => reason == ChatFinishReason.Length ? "length" : "stop";

    public static Usage UsageOf(UsageDetails? usage)
    {
        var prompt = (int)(usage?.InputTokenCount ?? 0);
        var completion = (int)(usage?.OutputTokenCount ?? 0);
        return new Usage(prompt, completion, prompt + completion);
    }
}
