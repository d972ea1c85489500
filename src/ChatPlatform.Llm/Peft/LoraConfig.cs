namespace ChatPlatform.Llm.Peft;

/// <summary>
/// A LoRA adapter's shape (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models"), as PEFT's
/// LoraConfig: W' = W + s·B·A with A (r, in), B (out, r), s = alpha / r, or alpha / √r with rsLoRA (Kalajdzievski 2023).
/// </summary>
public sealed record LoraConfig
{
    /// <summary>Every linear layer of a Llama-family decoder (PEFT's "all-linear" for these models).</summary>
    public static readonly IReadOnlyList<string> AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public int R { get; init; } = 16;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; } = 0.05;
    public IReadOnlyList<string> TargetModules { get; init; } = AllLinear;
    public bool UseRsLora { get; init; }
    public string? BaseModelNameOrPath { get; init; }

    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(R) : Alpha / R;

    public void Validate()
    {
        if (R < 1) throw new ArgumentOutOfRangeException(nameof(R), R, "LoRA rank r must be >= 1");
        if (!double.IsFinite(Alpha) || Alpha <= 0) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "lora_alpha must be > 0");
        if (Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "lora_dropout must be in [0, 1)");
        if (TargetModules.Count == 0) throw new ArgumentException("target_modules is empty: name at least one linear layer (e.g. q_proj)");
    }
}
