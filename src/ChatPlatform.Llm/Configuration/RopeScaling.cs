namespace ChatPlatform.Llm.Configuration;

/// <summary>
/// How rotary position embeddings are stretched beyond the trained context (config.json's <c>rope_scaling</c>);
/// none (null) is Hugging Face's "default". The formulas are transformers' <c>modeling_rope_utils.py</c>.
/// </summary>
public abstract record RopeScaling;

/// <summary>"linear": positions are divided by <see cref="Factor"/> (Chen et al. 2023, position interpolation).</summary>
public sealed record LinearRopeScaling : RopeScaling
{
    public LinearRopeScaling(double factor)
    {
        if (!double.IsFinite(factor) || factor <= 0)
            throw new ArgumentException($"rope_scaling.factor must be positive, not {factor}");
        Factor = factor;
    }

    public double Factor { get; }
}

/// <summary>
/// "llama3": Llama 3.1's frequency-dependent scaling: wavelengths longer than
/// original_max_position_embeddings / low_freq_factor are divided by <see cref="Factor"/>, shorter than
/// original_max_position_embeddings / high_freq_factor are kept, and the band between is interpolated.
/// </summary>
public sealed record Llama3RopeScaling : RopeScaling
{
    public Llama3RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
    {
        if (!double.IsFinite(factor) || factor <= 0)
            throw new ArgumentException($"rope_scaling.factor must be positive, not {factor}");
        if (!double.IsFinite(lowFreqFactor) || lowFreqFactor <= 0)
            throw new ArgumentException($"rope_scaling.low_freq_factor must be positive, not {lowFreqFactor}");
        // The interpolation divides by (high - low).
        if (!double.IsFinite(highFreqFactor) || highFreqFactor <= lowFreqFactor)
            throw new ArgumentException(
                $"rope_scaling.high_freq_factor ({highFreqFactor}) must be greater than low_freq_factor ({lowFreqFactor})");
        if (originalMaxPositionEmbeddings <= 0)
            throw new ArgumentException(
                $"rope_scaling.original_max_position_embeddings must be positive, not {originalMaxPositionEmbeddings}");
        Factor = factor;
        LowFreqFactor = lowFreqFactor;
        HighFreqFactor = highFreqFactor;
        OriginalMaxPositionEmbeddings = originalMaxPositionEmbeddings;
    }

    public double Factor { get; }
    public double LowFreqFactor { get; }
    public double HighFreqFactor { get; }
    public int OriginalMaxPositionEmbeddings { get; }
}
