namespace ChatPlatform.Llm.Models.Llama;

/// <summary>Rotary scaling from config.json's rope_scaling ("linear" or "llama3").</summary>
public sealed record RopeScaling(string Type, double Factor, double? LowFreqFactor = null, double? HighFreqFactor = null,
    int? OriginalMaxPositionEmbeddings = null);

/// <summary>The decoder's hyper-parameters (transformers' LlamaConfig and its Mistral/Qwen2/Qwen3 relatives).</summary>
public sealed record LlamaConfig
{
    public required string ModelType { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000;
    public RopeScaling? RopeScaling { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }
    public bool AttentionBias { get; init; }
    public bool AttentionOutputBias { get; init; }
    public bool MlpBias { get; init; }
    public bool UsesQkNorm => ModelType == "qwen3";
}
