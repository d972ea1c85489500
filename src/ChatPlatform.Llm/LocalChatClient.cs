using System.Runtime.CompilerServices;
using ChatPlatform.Llm.Generation;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Llm;

/// <summary>
/// The local model as an <see cref="IChatClient"/>: renders the model's own chat template, tokenizes, runs the
/// generation on the model's inference thread and streams text that never splits a character. Maps
/// <see cref="ChatOptions"/> Temperature, TopP, TopK, MaxOutputTokens, StopSequences and Seed (plus
/// "min_p" and "repetition_penalty" in AdditionalProperties); unset values come from generation_config.json.
/// If the prompt plus MaxOutputTokens exceeds the context, the token budget is cut to what fits; a prompt that
/// alone fills the context is a <see cref="ContextLengthException"/>.
/// </summary>
public sealed class LocalChatClient : IChatClient
{
    private readonly LocalModel model;
    private readonly InferenceWorker worker;
    private readonly bool ownsWorker;

    /// <param name="worker">A shared inference thread for the model, or null for one of its own (disposed with this client).</param>
    public LocalChatClient(LocalModel model, InferenceWorker? worker = null)
        : this(model, worker ?? new InferenceWorker(model.Model), ownsWorker: worker is null)
    {
    }

    private LocalChatClient(LocalModel model, InferenceWorker worker, bool ownsWorker)
    {
        this.model = model;
        this.worker = worker;
        this.ownsWorker = ownsWorker;
    }

    /// <summary>
    /// A client with its own inference thread: at most <paramref name="maxBatchSize"/> requests decoded together,
    /// <paramref name="threads"/> engine threads, <paramref name="promptCacheBytes"/> for recent prompts' keys and values.
    /// </summary>
    public static LocalChatClient WithOwnWorker(LocalModel model, int maxBatchSize, int? threads,
        long promptCacheBytes = InferenceWorker.DefaultPromptCacheBytes) =>
        new(model, new InferenceWorker(model.Model, maxBatchSize, threads, promptCacheBytes), ownsWorker: true);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = model.RenderChat(messages.Select(m => new ChatTemplates.ChatMessage(m.Role.Value, m.Text)), addGenerationPrompt: true);
        var promptIds = model.Tokenizer.Encode(prompt, addSpecialTokens: false);
        var room = model.ContextLength - promptIds.Length;
        if (room < 1) throw new ContextLengthException(promptIds.Length, 1, model.ContextLength);
        var maxNew = Math.Min(options?.MaxOutputTokens ?? model.DefaultMaxNewTokens, room);
        var sampling = model.SamplingFor(options);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tokens = worker.Submit(promptIds, maxNew, sampling, model.StopTokenIds, stop.Token);
        var decoder = model.Tokenizer.CreateStreamingDecoder(skipSpecialTokens: true);
        var stops = new StopStringMatcher(options?.StopSequences?.ToList() ?? []);
        var responseId = Guid.NewGuid().ToString("N");
        var generatedCount = 0;
        var finish = FinishReason.None;
        var cachedPromptTokens = 0;
        try
        {
            await foreach (var token in tokens.ReadAllAsync(cancellationToken))
            {
                if (token.TokenId < 0)
                {
                    finish = token.Finish;
                    cachedPromptTokens = token.CachedPromptTokens;
                    break;
                }
                generatedCount++;
                var text = stops.Push(decoder.Push(token.TokenId));
                if (text.Length > 0) yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ResponseId = responseId, ModelId = model.Name };
                if (stops.Stopped)
                {
                    finish = FinishReason.StopSequence;
                    break;
                }
            }
        }
        finally
        {
            stop.Cancel();  // stops the worker within one token if the caller stopped reading or a stop string matched
        }
        var rest = stops.Stopped ? "" : stops.Push(decoder.Flush()) + stops.Flush();
        yield return new ChatResponseUpdate(ChatRole.Assistant, rest)
        {
            ResponseId = responseId,
            ModelId = model.Name,
            FinishReason = finish == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Contents =
            {
                new UsageContent(new UsageDetails
                {
                    InputTokenCount = promptIds.Length,
                    CachedInputTokenCount = cachedPromptTokens,
                    OutputTokenCount = generatedCount,
                    TotalTokenCount = promptIds.Length + generatedCount,
                }),
            },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("chatplatform-local", null, model.Name)
        : null;

    public void Dispose()
    {
        if (ownsWorker) worker.Dispose();
    }
}
