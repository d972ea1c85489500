namespace ChatPlatform.Llm.Generation;

/// <summary>
/// How the next token is chosen. Temperature 0 (or null with no other sampling setting) is greedy decoding.
/// Processing order follows transformers: repetition penalty, temperature, top-k, top-p, min-p, then sampling.
/// </summary>
public sealed record SamplingOptions
{
    public static readonly SamplingOptions Greedy = new() { Temperature = 0 };

    public double Temperature { get; init; } = 1.0;
    public int? TopK { get; init; }
    public double? TopP { get; init; }
    public double? MinP { get; init; }
    public double RepetitionPenalty { get; init; } = 1.0;
    public long? Seed { get; init; }

    public bool IsGreedy => Temperature <= 0;

    public void Validate()
    {
        if (double.IsNaN(Temperature) || Temperature < 0) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be >= 0");
        if (TopK is <= 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be > 0");
        if (TopP is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1]");
        if (MinP is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MinP), MinP, "min_p must be in [0, 1]");
        if (RepetitionPenalty <= 0) throw new ArgumentOutOfRangeException(nameof(RepetitionPenalty), RepetitionPenalty, "repetition_penalty must be > 0");
    }
}
