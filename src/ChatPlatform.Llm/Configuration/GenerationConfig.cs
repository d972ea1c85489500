using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Configuration;

/// <summary>
/// A model's recommended decoding settings from its generation_config.json (transformers' <c>GenerationConfig</c>).
/// A null field is one the file does not set: the generation code applies its own default (transformers': greedy,
/// temperature 1, top_p 1, top_k 50, max_length 20). Fields other than these are ignored.
/// </summary>
public sealed record GenerationConfig
{
    public const string FileName = "generation_config.json";

    /// <summary>The settings of a model that has no generation_config.json.</summary>
    public static readonly GenerationConfig Empty = new();

    public GenerationConfig(
        int? bosTokenId = null,
        IReadOnlyList<int>? eosTokenIds = null,
        int? padTokenId = null,
        bool? doSample = null,
        double? temperature = null,
        double? topP = null,
        int? topK = null,
        double? minP = null,
        double? repetitionPenalty = null,
        int? maxNewTokens = null,
        int? maxLength = null)
    {
        if (temperature is { } t && (!double.IsFinite(t) || t < 0)) throw Invalid($"temperature must be 0 or more, not {t}");
        if (topP is { } p && (!double.IsFinite(p) || p <= 0 || p > 1)) throw Invalid($"top_p must be in (0, 1], not {p}");
        if (topK is < 0) throw Invalid($"top_k must be 0 (off) or more, not {topK}");
        if (minP is { } m && (!double.IsFinite(m) || m < 0 || m > 1)) throw Invalid($"min_p must be in [0, 1], not {m}");
        if (repetitionPenalty is { } r && (!double.IsFinite(r) || r <= 0))
            throw Invalid($"repetition_penalty must be positive, not {r}");
        if (maxNewTokens is <= 0) throw Invalid($"max_new_tokens must be positive, not {maxNewTokens}");
        if (maxLength is <= 0) throw Invalid($"max_length must be positive, not {maxLength}");

        BosTokenId = bosTokenId;
        EosTokenIds = new ValueList<int>(eosTokenIds ?? []);
        PadTokenId = padTokenId;
        DoSample = doSample;
        Temperature = temperature;
        TopP = topP;
        TopK = topK;
        MinP = minP;
        RepetitionPenalty = repetitionPenalty;
        MaxNewTokens = maxNewTokens;
        MaxLength = maxLength;
    }

    public int? BosTokenId { get; }

    /// <summary>Every id that ends generation (the file allows one id or a list); empty when none is given.</summary>
    public IReadOnlyList<int> EosTokenIds { get; }

    public int? PadTokenId { get; }
    public bool? DoSample { get; }
    public double? Temperature { get; }
    public double? TopP { get; }
    public int? TopK { get; }
    public double? MinP { get; }
    public double? RepetitionPenalty { get; }
    public int? MaxNewTokens { get; }

    /// <summary>Prompt plus generated tokens (transformers' older limit; max_new_tokens wins when both are set).</summary>
    public int? MaxLength { get; }

    /// <summary>Reads a generation_config.json file.</summary>
    public static GenerationConfig Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads <c>generation_config.json</c> from a model folder, or <see cref="Empty"/> when it has none.</summary>
    public static GenerationConfig LoadFromFolder(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? Load(path) : Empty;
    }

    public static GenerationConfig Parse(string json, string source = FileName) => JsonFields.Parse(json, source, j =>
        new GenerationConfig(
            bosTokenId: j.Int("bos_token_id"),
            eosTokenIds: j.IntOrList("eos_token_id"),
            padTokenId: j.Int("pad_token_id"),
            doSample: j.Bool("do_sample"),
            temperature: j.Double("temperature"),
            topP: j.Double("top_p"),
            topK: j.Int("top_k"),
            minP: j.Double("min_p"),
            repetitionPenalty: j.Double("repetition_penalty"),
            maxNewTokens: j.Int("max_new_tokens"),
            maxLength: j.Int("max_length")));

    private static ArgumentException Invalid(string message) => new(message);
}
