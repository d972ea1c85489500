using System.Runtime.CompilerServices;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Retrieval;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Prompting;

/// <summary>Settings of <see cref="RetrievalChatClient"/>.</summary>
public sealed record RetrievalChatOptions
{
    /// <summary>Used when the request carries no system message.</summary>
    public string DefaultSystemPrompt { get; init; } = "You are a helpful support assistant. Answer briefly and accurately.";
    public int TopK { get; init; } = 5;
    public RetrievalFilter? Filter { get; init; }
    public bool Diversify { get; init; }
}

/// <summary>
/// Retrieval-augmented generation as middleware in front of any <see cref="IChatClient"/>. For each request it
/// retrieves passages for the last user message, builds a grounded prompt within the model's window
/// (<see cref="GroundedPromptBuilder"/>: the request's system messages first, merged, then the fenced sources,
/// history with the oldest turns dropped first, the user's message) and sends that to the inner client.
///
/// The sources come back with the answer: <c>response.AdditionalProperties["citations"]</c> is an
/// <c>IReadOnlyList&lt;Citation&gt;</c> numbered as the prompt cites them ([1], [2]); with streaming, the first update
/// carries the same list (an empty update is sent for it if the model streams nothing). <c>"retrieval"</c> holds the
/// <see cref="RetrievalInfo"/> (whether dense retrieval ran, and why not).
/// </summary>
public sealed class RetrievalChatClient(IChatClient inner, IKnowledgeRetriever retriever, GroundedPromptBuilder prompts,
                                        RetrievalChatOptions? options = null) : DelegatingChatClient(inner)
{
    public const string CitationsKey = "citations";
    public const string RetrievalKey = "retrieval";

    private readonly RetrievalChatOptions settings = options ?? new RetrievalChatOptions();

    /// <summary>How retrieval went for one request.</summary>
    public sealed record RetrievalInfo(bool DenseUsed, string? Note, int SourcesRetrieved, int SourcesIncluded, int DroppedHistoryMessages, int PromptTokens);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                                                              CancellationToken cancellationToken = default)
    {
        var (prompt, info) = await GroundAsync(messages, cancellationToken);
        var response = await base.GetResponseAsync(prompt.Messages, options, cancellationToken);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[CitationsKey] = Citations(prompt);
        response.AdditionalProperties[RetrievalKey] = info;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (prompt, info) = await GroundAsync(messages, cancellationToken);
        var first = true;
        await foreach (var update in base.GetStreamingResponseAsync(prompt.Messages, options, cancellationToken))
        {
            if (first)
            {
                Attach(update, prompt, info);
                first = false;
            }
            yield return update;
        }
        if (first)
        {
            var empty = new ChatResponseUpdate(ChatRole.Assistant, "");
            Attach(empty, prompt, info);
            yield return empty;
        }
    }

    /// <summary>The grounded prompt this client would send for <paramref name="messages"/> (for inspection and tests).</summary>
    public async Task<(GroundedPrompt Prompt, RetrievalInfo Info)> GroundAsync(IEnumerable<ChatMessage> messages, CancellationToken ct)
    {
        var all = messages.ToList();
        var systemTexts = all.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Where(t => t.Length > 0).ToList();
        var conversation = all.Where(m => m.Role != ChatRole.System).ToList();
        if (conversation.Count == 0 || conversation[^1].Role != ChatRole.User)
            throw new ArgumentException("retrieval needs the conversation to end with a user message");
        var retrieved = await retriever.RetrieveAsync(new RetrievalQuery(conversation[^1].Text)
        {
            TopK = settings.TopK,
            Filter = settings.Filter,
            Diversify = settings.Diversify,
        }, ct);
        var system = systemTexts.Count > 0 ? string.Join("\n\n", systemTexts) : settings.DefaultSystemPrompt;
        var prompt = prompts.Build(system, conversation, retrieved.Chunks);
        var info = new RetrievalInfo(retrieved.DenseUsed, retrieved.Note, retrieved.Chunks.Count, prompt.Sources.Count,
                                     prompt.DroppedHistoryMessages, prompt.PromptTokens);
        return (prompt, info);
    }

    /// <summary>Citations renumbered to match the prompt's [n] labels.</summary>
    private static IReadOnlyList<Citation> Citations(GroundedPrompt prompt) =>
        prompt.Sources.Select((s, i) => s.Citation with { Number = i + 1 }).ToList();

    private static void Attach(ChatResponseUpdate update, GroundedPrompt prompt, RetrievalInfo info)
    {
        update.AdditionalProperties ??= [];
        update.AdditionalProperties[CitationsKey] = Citations(prompt);
        update.AdditionalProperties[RetrievalKey] = info;
    }
}
