using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Configuration;

/// <summary>
/// The shape of a BERT encoder (embedding models such as all-MiniLM-L6-v2 and bge-small), read from config.json
/// (transformers' <c>BertConfig</c>, whose defaults apply to absent optional fields). Immutable and validated when built.
/// </summary>
public sealed record BertConfig
{
    public const string FileName = "config.json";

    public BertConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings = 512,
        int typeVocabSize = 2,
        double layerNormEps = 1e-12,
        int padTokenId = 0)
    {
        Positive(vocabSize, "vocab_size");
        Positive(hiddenSize, "hidden_size");
        Positive(numHiddenLayers, "num_hidden_layers");
        Positive(numAttentionHeads, "num_attention_heads");
        Positive(intermediateSize, "intermediate_size");
        Positive(maxPositionEmbeddings, "max_position_embeddings");
        Positive(typeVocabSize, "type_vocab_size");
        if (hiddenSize % numAttentionHeads != 0)
            throw new ArgumentException($"hidden_size ({hiddenSize}) must be divisible by num_attention_heads ({numAttentionHeads})");
        if (!double.IsFinite(layerNormEps) || layerNormEps <= 0)
            throw new ArgumentException($"layer_norm_eps must be positive, not {layerNormEps}");
        if (padTokenId < 0 || padTokenId >= vocabSize)
            throw new ArgumentException($"pad_token_id ({padTokenId}) must be a token id below vocab_size ({vocabSize})");

        VocabSize = vocabSize;
        HiddenSize = hiddenSize;
        NumHiddenLayers = numHiddenLayers;
        NumAttentionHeads = numAttentionHeads;
        IntermediateSize = intermediateSize;
        MaxPositionEmbeddings = maxPositionEmbeddings;
        TypeVocabSize = typeVocabSize;
        LayerNormEps = layerNormEps;
        PadTokenId = padTokenId;
    }

    public int VocabSize { get; }
    public int HiddenSize { get; }
    public int NumHiddenLayers { get; }
    public int NumAttentionHeads { get; }
    public int IntermediateSize { get; }
    public int MaxPositionEmbeddings { get; }
    public int TypeVocabSize { get; }
    public double LayerNormEps { get; }
    public int PadTokenId { get; }

    public int HeadDim => HiddenSize / NumAttentionHeads;

    public static BertConfig Load(string path) => Parse(File.ReadAllText(path), path);

    public static BertConfig Parse(string json, string source = FileName) => JsonFields.Parse(json, source, j =>
    {
        var type = j.String("model_type") ?? throw j.Error("model_type", "is missing (supported: bert)");
        if (type != "bert") throw j.Unsupported("model_type", type, "bert");
        // "gelu" is the exact (erf) GELU in transformers; the tanh approximations would give different embeddings.
        var act = j.String("hidden_act") ?? "gelu";
        if (act != "gelu") throw j.Unsupported("hidden_act", act, "gelu");
        var positions = j.String("position_embedding_type") ?? "absolute";
        if (positions != "absolute")
            throw j.Unsupported("position_embedding_type", positions, "absolute");
        return new BertConfig(
            vocabSize: j.RequiredInt("vocab_size"),
            hiddenSize: j.RequiredInt("hidden_size"),
            numHiddenLayers: j.RequiredInt("num_hidden_layers"),
            numAttentionHeads: j.RequiredInt("num_attention_heads"),
            intermediateSize: j.RequiredInt("intermediate_size"),
            maxPositionEmbeddings: j.Int("max_position_embeddings") ?? 512,
            typeVocabSize: j.Int("type_vocab_size") ?? 2,
            layerNormEps: j.Double("layer_norm_eps") ?? 1e-12,
            padTokenId: j.Int("pad_token_id") ?? 0);
    });

    private static void Positive(int value, string field)
    {
        if (value <= 0) throw new ArgumentException($"{field} must be positive, not {value}");
    }
}
