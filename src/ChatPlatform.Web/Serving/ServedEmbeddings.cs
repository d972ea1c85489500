using ChatPlatform.Llm.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// The sentence-embedding model (Serving:EmbeddingModel), loaded once at start-up and shared by /v1/embeddings and
/// dense retrieval; null members when none is configured. Unlike the chat model it is not swapped: the knowledge
/// base's vectors were computed with it.
/// </summary>
public sealed class ServedEmbeddings : IDisposable
{
    private readonly LocalEmbeddingGenerator? embeddings;

    public ServedEmbeddings(IOptions<ServingOptions> options, ILogger<ServedEmbeddings> log)
    {
        var o = options.Value;
        if (o.EmbeddingModel is null) return;
        var device = o.ParsedDevice;
        embeddings = LocalEmbeddingGenerator.Load(o.EmbeddingModel, new LocalEmbeddingOptions { Device = device });
        ModelId = o.EmbeddingModelId;
        ServingLog.EmbeddingModelLoaded(log, ModelId!, device.ToString());
    }

    public string? ModelId { get; }
    public int? Dimensions => embeddings?.Dimension;
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public IEmbeddingGenerator<string, Embedding<float>>? Generator => embeddings;

    public void Dispose() => embeddings?.Dispose();
}
