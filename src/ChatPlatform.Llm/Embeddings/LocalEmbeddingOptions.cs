using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Embeddings;

/// <summary>How <see cref="LocalEmbeddingGenerator"/> loads and runs a model.</summary>
public sealed record LocalEmbeddingOptions
{
    /// <summary>Where the model runs (CPU when null).</summary>
    public Device? Device { get; init; }
    /// <summary>Weights' dtype; null: float32 on the CPU, float16 on CUDA.</summary>
    public ScalarType? DType { get; init; }
    /// <summary>Inputs per forward pass.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Prompts by name, over the model's own: e.g. {"query": "query: ", "passage": "passage: "} for e5 folders
    /// whose config_sentence_transformers.json lists none.</summary>
    public IReadOnlyDictionary<string, string>? Prompts { get; init; }
}
