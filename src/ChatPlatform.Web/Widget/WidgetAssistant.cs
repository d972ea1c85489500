using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Prompting;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// The widget's answers: always retrieval-augmented (<see cref="RetrievalChatClient"/> over the served model and the
/// data directory's knowledge base), the answer's share of the context window capped by Widget:MaxAnswerTokens.
/// <see cref="Client"/> is null when this process serves no model (Serving:Model unset).
/// </summary>
internal sealed class WidgetAssistant
{
    public WidgetAssistant(IServiceProvider services, KnowledgeStore store, IOptions<WidgetOptions> options)
    {
        var settings = options.Value;
        if (services.GetService<ServedModels>() is not { } served) return;
        var model = served.Model;
        AnswerTokens = Math.Min(settings.MaxAnswerTokens, model.ContextLength / 4);
        Client = KnowledgeGrounding.Over(served.Chat, model, served.Embeddings, store,
            new GroundingSettings(settings.SystemPrompt, settings.TopK, AnswerTokens));
        Queue = services.GetRequiredService<FairRequestQueue>();
        Timeout = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<ServingOptions>>().Value.RequestTimeoutSeconds);
    }

    public IChatClient? Client { get; }
    /// <summary>Widget questions wait in the same fair queue as /v1 requests: one model, shared.</summary>
    public FairRequestQueue? Queue { get; }
    public int AnswerTokens { get; }
    public TimeSpan Timeout { get; }

    public ChatOptions Options() => new() { MaxOutputTokens = AnswerTokens };
}
