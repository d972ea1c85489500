using ChatPlatform.Llm.IO;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Configuration;

/// <summary>The Hugging Face model types that share the Llama decoder (config.json's <c>model_type</c>).</summary>
public enum LlamaModelType
{
    /// <summary>"llama": optional bias on q/k/v/o (attention_bias) and on the MLP (mlp_bias).</summary>
    Llama,

    /// <summary>"mistral": Llama without biases, with an optional sliding window.</summary>
    Mistral,

    /// <summary>"qwen2": a fixed bias on q/k/v (not o).</summary>
    Qwen2,

    /// <summary>"qwen3": RMSNorm over each head of q and k before RoPE; optional q/k/v/o bias (attention_bias).</summary>
    Qwen3,
}

/// <summary>
/// The shape of a Llama-family decoder, read from a Hugging Face config.json (transformers' <c>LlamaConfig</c>,
/// <c>MistralConfig</c>, <c>Qwen2Config</c>, <c>Qwen3Config</c>, whose defaults apply to absent fields). Immutable and
/// validated when built: a config that exists can be built into a model. Field names in messages are config.json's.
/// </summary>
public sealed record LlamaConfig
{
    public const string FileName = "config.json";

    public LlamaConfig(
        LlamaModelType modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int? numKeyValueHeads = null,
        int? headDim = null,
        double rmsNormEps = 1e-6,
        double ropeTheta = 10000,
        RopeScaling? ropeScaling = null,
        int maxPositionEmbeddings = 2048,
        bool tieWordEmbeddings = false,
        bool attentionBias = false,
        bool mlpBias = false,
        ScalarType? torchDtype = null,
        int? bosTokenId = null,
        IReadOnlyList<int>? eosTokenIds = null,
        int? padTokenId = null,
        int? slidingWindow = null,
        int? maxWindowLayers = null)
    {
        Positive(vocabSize, "vocab_size");
        Positive(hiddenSize, "hidden_size");
        Positive(intermediateSize, "intermediate_size");
        Positive(numHiddenLayers, "num_hidden_layers");
        Positive(numAttentionHeads, "num_attention_heads");
        var kvHeads = numKeyValueHeads ?? numAttentionHeads;
        Positive(kvHeads, "num_key_value_heads");
        if (numAttentionHeads % kvHeads != 0)
            throw Invalid($"num_attention_heads ({numAttentionHeads}) must be a multiple of num_key_value_heads ({kvHeads})");
        if (headDim is null && hiddenSize % numAttentionHeads != 0)
            throw Invalid($"hidden_size ({hiddenSize}) must be divisible by num_attention_heads ({numAttentionHeads}) when head_dim is not given");
        var dim = headDim ?? hiddenSize / numAttentionHeads;
        Positive(dim, "head_dim");
        if (dim % 2 != 0) throw Invalid($"head_dim ({dim}) must be even: rotary embeddings rotate pairs of features");
        if (!double.IsFinite(rmsNormEps) || rmsNormEps <= 0) throw Invalid($"rms_norm_eps must be positive, not {rmsNormEps}");
        if (!double.IsFinite(ropeTheta) || ropeTheta <= 0) throw Invalid($"rope_theta must be positive, not {ropeTheta}");
        Positive(maxPositionEmbeddings, "max_position_embeddings");
        if (attentionBias && modelType is LlamaModelType.Mistral or LlamaModelType.Qwen2)
            throw Invalid($"attention_bias does not apply to {Name(modelType)} (its biases are fixed by the architecture)");
        if (mlpBias && modelType != LlamaModelType.Llama)
            throw Invalid($"mlp_bias applies only to llama, not {Name(modelType)}");
        if (slidingWindow is { } window)
        {
            if (modelType == LlamaModelType.Llama) throw Invalid("sliding_window does not apply to llama");
            Positive(window, "sliding_window");
        }
        if (maxWindowLayers is { } from)
        {
            if (modelType is not (LlamaModelType.Qwen2 or LlamaModelType.Qwen3) || slidingWindow is null)
                throw Invalid("max_window_layers applies only to qwen2/qwen3 with a sliding window");
            if (from < 0) throw Invalid($"max_window_layers must not be negative, not {from}");
        }

        ModelType = modelType;
        VocabSize = vocabSize;
        HiddenSize = hiddenSize;
        IntermediateSize = intermediateSize;
        NumHiddenLayers = numHiddenLayers;
        NumAttentionHeads = numAttentionHeads;
        NumKeyValueHeads = kvHeads;
        HeadDim = dim;
        RmsNormEps = rmsNormEps;
        RopeTheta = ropeTheta;
        RopeScaling = ropeScaling;
        MaxPositionEmbeddings = maxPositionEmbeddings;
        TieWordEmbeddings = tieWordEmbeddings;
        AttentionBias = attentionBias;
        MlpBias = mlpBias;
        TorchDtype = torchDtype;
        BosTokenId = bosTokenId;
        EosTokenIds = new ValueList<int>(eosTokenIds ?? []);
        PadTokenId = padTokenId;
        SlidingWindow = slidingWindow;
        MaxWindowLayers = maxWindowLayers;
    }

    public LlamaModelType ModelType { get; }
    public int VocabSize { get; }
    public int HiddenSize { get; }
    public int IntermediateSize { get; }
    public int NumHiddenLayers { get; }
    public int NumAttentionHeads { get; }

    /// <summary>Key/value heads (grouped-query attention); equals <see cref="NumAttentionHeads"/> for multi-head attention.</summary>
    public int NumKeyValueHeads { get; }

    /// <summary>Features per head; hidden_size / num_attention_heads unless config.json gives it (Qwen3 does).</summary>
    public int HeadDim { get; }

    public double RmsNormEps { get; }
    public double RopeTheta { get; }

    /// <summary>Null for plain RoPE (Hugging Face's "default").</summary>
    public RopeScaling? RopeScaling { get; }

    public int MaxPositionEmbeddings { get; }

    /// <summary>The output projection reuses the token embedding (no lm_head.weight in the checkpoint).</summary>
    public bool TieWordEmbeddings { get; }

    /// <summary>config.json's attention_bias (llama, qwen3): q, k, v and o projections carry a bias.</summary>
    public bool AttentionBias { get; }

    /// <summary>config.json's mlp_bias (llama only): gate, up and down projections carry a bias.</summary>
    public bool MlpBias { get; }

    /// <summary>The dtype the weights were saved in, when config.json says (torch_dtype, or dtype in newer files).</summary>
    public ScalarType? TorchDtype { get; }

    public int? BosTokenId { get; }

    /// <summary>Every end-of-sequence id (config.json allows one id or a list); empty when none is given.</summary>
    public IReadOnlyList<int> EosTokenIds { get; }

    public int? PadTokenId { get; }

    /// <summary>
    /// Attention looks back at most this many tokens (null: full attention). Mistral: every layer (v0.1 used 4096;
    /// later Mistral models set null). Qwen2/Qwen3: only with use_sliding_window, and only in the layers from
    /// <see cref="MaxWindowLayers"/> on (transformers' Qwen2 rule).
    /// </summary>
    public int? SlidingWindow { get; }

    /// <summary>Qwen2/Qwen3 with a sliding window: the first layer that uses it.</summary>
    public int? MaxWindowLayers { get; }

    // ---- derived ----

    /// <summary>Query heads per key/value head.</summary>
    public int NumKeyValueGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Bias on the q, k and v projections: attention_bias, or always for qwen2.</summary>
    public bool QkvBias => AttentionBias || ModelType == LlamaModelType.Qwen2;

    /// <summary>Bias on the o projection: attention_bias (qwen2 has none there).</summary>
    public bool OutputBias => AttentionBias;

    /// <summary>Qwen3's per-head RMSNorm of q and k (q_norm, k_norm, over head_dim).</summary>
    public bool QkNorm => ModelType == LlamaModelType.Qwen3;

    public static string Name(LlamaModelType type) => type switch
    {
        LlamaModelType.Llama => "llama",
        LlamaModelType.Mistral => "mistral",
        LlamaModelType.Qwen2 => "qwen2",
        LlamaModelType.Qwen3 => "qwen3",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Reads a config.json file.</summary>
    public static LlamaConfig Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses config.json text; <paramref name="source"/> names it in error messages.</summary>
    public static LlamaConfig Parse(string json, string source = FileName) => JsonFields.Parse(json, source, Read);

    private static LlamaConfig Read(JsonFields j)
    {
        const string supported = "llama, mistral, qwen2, qwen3";
        var typeName = j.String("model_type") ?? throw j.Error("model_type", $"is missing (supported: {supported})");
        var type = typeName switch
        {
            "llama" => LlamaModelType.Llama,
            "mistral" => LlamaModelType.Mistral,
            "qwen2" => LlamaModelType.Qwen2,
            "qwen3" => LlamaModelType.Qwen3,
            _ => throw j.Unsupported("model_type", typeName, supported),
        };

        // transformers' ACT2FN maps "swish" to the same SiLU.
        var act = j.String("hidden_act") ?? "silu";
        if (act is not ("silu" or "swish")) throw j.Unsupported("hidden_act", act, "silu");

        // Fields a model type's transformers class does not read are ignored, as transformers ignores them.
        var biasField = type is LlamaModelType.Llama or LlamaModelType.Qwen3;
        var (slidingWindow, maxWindowLayers) = type switch
        {
            // MistralConfig's default is 4096; an explicit null turns it off.
            LlamaModelType.Mistral => (j.Present("sliding_window") ? j.Int("sliding_window") : 4096, (int?)null),
            LlamaModelType.Qwen2 or LlamaModelType.Qwen3 when j.Bool("use_sliding_window") == true =>
                (j.Int("sliding_window") ?? 4096, j.Int("max_window_layers") ?? 28),
            _ => ((int?)null, (int?)null),
        };
        var (ropeTheta, ropeScaling) = ReadRope(j);

        return new LlamaConfig(
            type,
            vocabSize: j.RequiredInt("vocab_size"),
            hiddenSize: j.RequiredInt("hidden_size"),
            intermediateSize: j.RequiredInt("intermediate_size"),
            numHiddenLayers: j.RequiredInt("num_hidden_layers"),
            numAttentionHeads: j.RequiredInt("num_attention_heads"),
            numKeyValueHeads: j.Int("num_key_value_heads"),
            headDim: j.Int("head_dim") ?? (type == LlamaModelType.Qwen3 ? 128 : null),  // Qwen3Config's default is 128
            rmsNormEps: j.Double("rms_norm_eps") ?? 1e-6,
            ropeTheta: ropeTheta,
            ropeScaling: ropeScaling,
            maxPositionEmbeddings: j.Int("max_position_embeddings") ?? type switch
            {
                LlamaModelType.Llama => 2048,
                LlamaModelType.Mistral => 4096 * 32,
                _ => 32768,
            },
            tieWordEmbeddings: j.Bool("tie_word_embeddings") ?? false,
            attentionBias: biasField && (j.Bool("attention_bias") ?? false),
            mlpBias: type == LlamaModelType.Llama && (j.Bool("mlp_bias") ?? false),
            torchDtype: ReadTorchDtype(j),
            bosTokenId: j.Int("bos_token_id"),
            eosTokenIds: j.IntOrList("eos_token_id"),
            padTokenId: j.Int("pad_token_id"),
            slidingWindow: slidingWindow,
            maxWindowLayers: maxWindowLayers);
    }

    // transformers 5 moves rope_theta and rope_scaling into one "rope_parameters" object; older files have them apart.
    private static (double Theta, RopeScaling? Scaling) ReadRope(JsonFields j)
    {
        if (j.Object("rope_parameters") is { } parameters)
            return (parameters.Double("rope_theta") ?? j.Double("rope_theta") ?? 10000, ReadRopeScaling(parameters));
        return (j.Double("rope_theta") ?? 10000, j.Object("rope_scaling") is { } scaling ? ReadRopeScaling(scaling) : null);
    }

    private static RopeScaling? ReadRopeScaling(JsonFields r)
    {
        // "type" is the older spelling of "rope_type".
        var type = r.String("rope_type") ?? r.String("type") ?? throw r.Error("rope_type", "is missing");
        return type switch
        {
            "default" => null,
            "linear" => new LinearRopeScaling(r.RequiredDouble("factor")),
            "llama3" => new Llama3RopeScaling(
                r.RequiredDouble("factor"),
                r.RequiredDouble("low_freq_factor"),
                r.RequiredDouble("high_freq_factor"),
                r.RequiredInt("original_max_position_embeddings")),
            _ => throw r.Unsupported("rope_type", type, "default, linear, llama3"),
        };
    }

    internal static ScalarType? ReadTorchDtype(JsonFields j)
    {
        var field = j.Present("torch_dtype") ? "torch_dtype" : "dtype";
        return j.String(field) switch
        {
            null or "auto" => null,
            "float32" or "float" => ScalarType.Float32,
            "bfloat16" => ScalarType.BFloat16,
            "float16" or "half" => ScalarType.Float16,
            "float64" or "double" => ScalarType.Float64,
            var other => throw j.Unsupported(field, other, "float32, bfloat16, float16, float64"),
        };
    }

    private static void Positive(int value, string field)
    {
        if (value <= 0) throw Invalid($"{field} must be positive, not {value}");
    }

    private static ArgumentException Invalid(string message) => new(message);
}
