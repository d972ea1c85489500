using ChatPlatform.Llm;
using ChatPlatform.Llm.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// The models this process serves, loaded once and shared by every request: the chat model (with its adapter) behind
/// one inference thread, and optionally a sentence-embedding model. The API reaches them only as
/// <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>.
/// </summary>
public sealed class ServedModels : IDisposable
{
    private readonly LocalModel model;
    private readonly LocalChatClient chat;
    private readonly LocalEmbeddingGenerator? embeddings;

    public ServedModels(IOptions<ServingOptions> options, ILogger<ServedModels> log)
    {
        var o = options.Value;
        var device = o.ParsedDevice;
        model = LocalModel.Load(o.Model!, device, adapter: o.Adapter);
        if (model.TemplateWarning is { } warning) ServingLog.TemplateFallback(log, o.ChatModelId, warning);
        chat = new LocalChatClient(model);
        ChatModelId = o.ChatModelId;
        if (o.EmbeddingModel is not null)
        {
            embeddings = LocalEmbeddingGenerator.Load(o.EmbeddingModel, new LocalEmbeddingOptions { Device = device });
            EmbeddingModelId = o.EmbeddingModelId;
        }
        LoadedAt = DateTimeOffset.UtcNow;
        ServingLog.ModelsLoaded(log, ChatModelId, o.Adapter ?? "none", EmbeddingModelId ?? "none", device.ToString());
    }

    public string ChatModelId { get; }
    public string? EmbeddingModelId { get; }
    public int? EmbeddingDimensions => embeddings?.Dimension;
    public DateTimeOffset LoadedAt { get; }
    public IChatClient Chat => chat;
    /// <summary>The loaded chat model itself, for what needs its tokenizer or context length (the widget's prompt budget).</summary>
    public LocalModel Model => model;
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings => embeddings;

    public void Dispose()
    {
        chat.Dispose();  // joins the inference thread before the weights go
        model.Dispose();
        embeddings?.Dispose();
    }
}
