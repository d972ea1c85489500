using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// Start-up wiring of an embedding generator to a vector index: finds the generator's model id and dimension (from
/// its metadata, else by embedding one probe string) and lets the index refuse a mismatch before any document is
/// written or searched.
/// </summary>
public static class EmbeddingBinding
{
    public static async Task<string> BindAsync(IVectorIndex index, IEmbeddingGenerator<string, Embedding<float>> embedder, CancellationToken ct = default)
    {
        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
        var model = metadata?.DefaultModelId ?? metadata?.ProviderName ?? embedder.GetType().Name;
        var dimension = metadata?.DefaultModelDimensions
                        ?? (await embedder.GenerateVectorAsync("dimension probe", cancellationToken: ct)).Length;
        await index.InitializeAsync(dimension, model, ct);
        return model;
    }
}
