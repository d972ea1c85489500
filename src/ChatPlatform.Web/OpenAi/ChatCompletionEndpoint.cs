using ChatPlatform.Rag.Retrieval;
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
        ServedModel models, FairRequestQueue queue, IOptions<ServingOptions> options)
    {
        ChatCompletionRequest request;
        using (var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted))
            request = ChatCompletionRequest.Parse(body.RootElement);
        // The request answers on the version served now to its end, even if another is activated meanwhile.
        var lease = models.TryLease() ?? throw OpenAiException.NoModel();
        if (request.ServedModel != lease.Id)
        {
            var served = lease.Id;
            lease.Dispose();
            throw OpenAiException.ModelNotFound(request.Model, served);
        }
        var chat = lease.Chat;
        if (request.Retrieval is { } retrieval) chat = Grounded(http, lease, retrieval, request.Options);

        var run = new CompletionRun(http, request.Model, options.Value.RequestTimeoutSeconds, lease);
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
                    var any = await FirstAsync(updates, request);
                    handedOver = true;
                    return new ChatCompletionStream(run, updates, any, request.IncludeUsage);
                }
                finally
                {
                    if (!handedOver) await updates.DisposeAsync();
                }
            }
            ChatResponse response;
            try
            {
                response = await chat.GetResponseAsync(request.Messages, request.Options, run.Token);
            }
            catch (InvalidOperationException e) when (request.Retrieval is not null && !run.Token.IsCancellationRequested)
            {
                throw QuestionTooLong(e);
            }
            var finish = FinishReasonOf(response.FinishReason);
            run.LogCompleted(response.Usage, finish);
            var usage = UsageOf(response.Usage);
            return TypedResults.Json(new ChatCompletion(run.Id, run.Created, run.Model,
                [new ChatCompletionChoice(0, new ChatCompletionMessage("assistant", response.Text), finish)], usage,
                CompletionCitation.From(response.AdditionalProperties)), OpenAiJson.Options);
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

    /// <summary>
    /// The leased version behind retrieval over the knowledge base (<see cref="KnowledgeGrounding"/>, as the widget answers),
    /// the answer's room being the request's max_tokens.
    /// </summary>
    private static IChatClient Grounded(HttpContext http, ModelLease lease, RetrievalRequest retrieval, ChatOptions options)
    {
        var retriever = http.RequestServices.GetRequiredService<HybridRetriever>();
        return KnowledgeGrounding.Over(lease.Chat, lease.Model, retriever,
            new GroundingSettings(SystemPrompt: null, retrieval.TopK, options.MaxOutputTokens));
    }

    /// <summary>The first update (after templating, retrieval and prefill), with a question that leaves no room for sources made a 400.</summary>
    private static async Task<bool> FirstAsync(IAsyncEnumerator<ChatResponseUpdate> updates, ChatCompletionRequest request)
    {
        try
        {
            return await updates.MoveNextAsync();
        }
        catch (InvalidOperationException e) when (request.Retrieval is not null)
        {
            throw QuestionTooLong(e);
        }
    }

    // GroundedPromptBuilder refuses a system prompt and question that leave no room within the context window.
    private static OpenAiException QuestionTooLong(InvalidOperationException e) =>
        new(StatusCodes.Status400BadRequest, $"With retrieval, the prompt does not fit the model's context: {e.Message}. Shorten the question or lower max_tokens.",
            param: "messages", code: "context_length_exceeded");

    public static string FinishReasonOf(ChatFinishReason? reason) => reason == ChatFinishReason.Length ? "length" : "stop";

    public static Usage UsageOf(UsageDetails? usage)
    {
        var prompt = (int)(usage?.InputTokenCount ?? 0);
        var completion = (int)(usage?.OutputTokenCount ?? 0);
        return new Usage(prompt, completion, prompt + completion,
            usage?.CachedInputTokenCount is { } cached ? new PromptTokensDetails((int)cached) : null);
    }
}
