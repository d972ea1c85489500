using ChatPlatform.Llm;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Prompting;
using ChatPlatform.Rag.Retrieval;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Retrieval over the data directory's knowledge base in front of a served chat model, composed one way for the widget
/// (always) and for /v1 requests that ask for it: hybrid retrieval (dense too when an embedding model is served and the
/// knowledge base has vectors; BM25 alone otherwise), a grounded prompt budgeted in the model's own tokens with room
/// kept for the answer, and <see cref="RetrievalChatClient"/> returning the cited sources with the answer.
/// </summary>
internal static class KnowledgeGrounding
{
    /// <param name="chat">A leased version's client. Do not dispose the result: that would dispose the client, which the loaded version owns.</param>
    /// <param name="model">The same model, for its tokenizer and context length.</param>
    /// <param name="retriever">The knowledge base's retriever (<see cref="Knowledge.KnowledgeBase"/>).</param>
    public static RetrievalChatClient Over(IChatClient chat, LocalModel model, IKnowledgeRetriever retriever, GroundingSettings settings)
    {
        var prompts = Prompts(model, settings.AnswerTokens);
        var options = new RetrievalChatOptions { TopK = settings.TopK };
        if (settings.SystemPrompt is { } system) options = options with { DefaultSystemPrompt = system };
        return new RetrievalChatClient(chat, retriever, prompts, options);
    }

    /// <summary>The grounded prompt's builder for a model: its context window counted in its own tokens, room kept for the answer.</summary>
    public static GroundedPromptBuilder Prompts(LocalModel model, int? answerTokens) =>
        new(new LocalModelTokenCounter(model.Tokenizer, model.Name),
            new PromptBudget { ContextWindow = model.ContextLength, AnswerReserve = AnswerReserve(model, answerTokens) });

    /// <summary>The answer's share of the context: what was asked for (a quarter of the window when nothing was), capped at half.</summary>
    public static int AnswerReserve(LocalModel model, int? answerTokens) =>
        Math.Min(answerTokens ?? model.ContextLength / 4, model.ContextLength / 2);
}

/// <summary>How one caller grounds its answers: the system prompt used when a request has none (null: Rag's default), passages, answer room.</summary>
internal sealed record GroundingSettings(string? SystemPrompt, int TopK, int? AnswerTokens);
