using ChatPlatform.Llm;
using ChatPlatform.Rag.Prompting;
using ChatPlatform.Rag.Retrieval;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// The widget's answers: always retrieval-augmented (<see cref="RetrievalChatClient"/> over the data directory's
/// knowledge base and the chat version a request leases from <see cref="ServedModel"/>), the answer's share of the
/// context window capped by Widget:MaxAnswerTokens. With no model served, <see cref="PassagesAnswer"/> answers instead.
/// </summary>
internal sealed class WidgetAssistant(ServedModel served, HybridRetriever retriever, FairRequestQueue queue,
    IOptions<WidgetOptions> options, IOptions<ServingOptions> serving)
{
    private readonly WidgetOptions settings = options.Value;

    public ServedModel Served => served;
    /// <summary>Widget questions wait in the same fair queue as /v1 requests: one model, shared.</summary>
    public FairRequestQueue Queue => queue;
    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(serving.Value.RequestTimeoutSeconds);
    /// <summary>Dense retrieval too when an embedding model is served and the knowledge base has vectors; BM25 alone otherwise.</summary>
    public IKnowledgeRetriever Retriever => retriever;
    public int TopK => settings.TopK;

    /// <summary>Widget:MaxAnswerTokens, at most a quarter of the model's context (the rest is for sources and the conversation).</summary>
    public int AnswerTokens(LocalModel model) => Math.Min(settings.MaxAnswerTokens, model.ContextLength / 4);

    /// <summary>The grounded client over a leased version, as the widget (and the playground) answer with it, and the options of its answer.</summary>
    public (RetrievalChatClient Client, ChatOptions Options) For(ModelLease lease)
    {
        var answerTokens = AnswerTokens(lease.Model);
        var client = KnowledgeGrounding.Over(lease.Chat, lease.Model, Retriever, new GroundingSettings(settings.SystemPrompt, settings.TopK, answerTokens));
        return (client, new ChatOptions { MaxOutputTokens = KnowledgeGrounding.AnswerReserve(lease.Model, answerTokens) });
    }
}
