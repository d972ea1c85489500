using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Embeddings;

/// <summary>
/// How token states become one sentence vector: sentence-transformers' <c>1_Pooling/config.json</c>. Several modes may be
/// on; their vectors are then concatenated in sentence-transformers' order (cls, max, mean, mean_sqrt_len, lasttoken).
/// </summary>
public sealed record PoolingConfig
{
    public const string FileName = "config.json";

    public bool Cls { get; init; }
    /// <summary>Masked mean over real tokens (padding excluded): the mode of most embedding models.</summary>
    public bool Mean { get; init; }
    /// <summary>Per-dimension max over real tokens.</summary>
    public bool Max { get; init; }
    /// <summary>Masked sum divided by √(token count).</summary>
    public bool MeanSqrtLen { get; init; }
    /// <summary>The last real token's state (decoder-style embedding models).</summary>
    public bool LastToken { get; init; }

    /// <summary>What sentence-transformers builds for a plain transformers model folder: mean pooling.</summary>
    public static PoolingConfig MeanPooling { get; } = new() { Mean = true };

    public int ModeCount => (Cls ? 1 : 0) + (Mean ? 1 : 0) + (Max ? 1 : 0) + (MeanSqrtLen ? 1 : 0) + (LastToken ? 1 : 0);

    public static PoolingConfig Load(string path) => Parse(File.ReadAllText(path), path);

    public static PoolingConfig Parse(string json, string source = FileName) => JsonFields.Parse(json, source, j =>
    {
        if (j.Bool("pooling_mode_weightedmean_tokens") == true)
            throw j.Error("pooling_mode_weightedmean_tokens", "is not supported (supported: cls_token, mean_tokens, max_tokens, mean_sqrt_len_tokens, lasttoken)");
        // include_prompt=false (Instructor-style models) pools without the prompt's tokens; not implemented, so refuse
        // rather than give vectors that differ from the model's.
        if (j.Bool("include_prompt") == false) throw j.FileError("include_prompt=false is not supported");
        var config = new PoolingConfig
        {
            Cls = j.Bool("pooling_mode_cls_token") ?? false,
            Mean = j.Bool("pooling_mode_mean_tokens") ?? false,
            Max = j.Bool("pooling_mode_max_tokens") ?? false,
            MeanSqrtLen = j.Bool("pooling_mode_mean_sqrt_len_tokens") ?? false,
            LastToken = j.Bool("pooling_mode_lasttoken") ?? false,
        };
        // Newer files may name the mode instead of setting flags.
        var mode = j.String("pooling_mode");
        if (mode is not null && config.ModeCount == 0)
        {
            config = mode switch
            {
                "cls" => new PoolingConfig { Cls = true },
                "mean" => new PoolingConfig { Mean = true },
                "max" => new PoolingConfig { Max = true },
                "mean_sqrt_len_tokens" => new PoolingConfig { MeanSqrtLen = true },
                "lasttoken" => new PoolingConfig { LastToken = true },
                _ => throw j.Unsupported("pooling_mode", mode, "cls, mean, max, mean_sqrt_len_tokens, lasttoken"),
            };
        }
        if (config.ModeCount == 0) throw j.FileError("no pooling mode is set (e.g. pooling_mode_mean_tokens: true)");
        return config;
    });
}
