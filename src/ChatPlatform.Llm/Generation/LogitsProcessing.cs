using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Generation;

/// <summary>The logit transforms of sampling, on (B, V) float32 logits, all on the model's device.</summary>
public static class LogitsProcessing
{
    /// <summary>
    /// The next token of each row (B) of logits (B, V): greedy argmax, or a draw with <paramref name="random"/> (one
    /// number per row, in row order) after the sampling chain. <paramref name="seenIds"/> (B, L) is only asked for
    /// when a repetition penalty applies.
    /// </summary>
    public static Tensor Choose(Tensor logits, SamplingOptions sampling, Func<Tensor> seenIds, SamplingRandom? random)
    {
        if (sampling.RepetitionPenalty != 1.0) logits = RepetitionPenalty(logits, seenIds(), sampling.RepetitionPenalty);
        if (sampling.IsGreedy) return logits.argmax(-1);
        ArgumentNullException.ThrowIfNull(random);
        var uniforms = new double[logits.size(0)];
        for (var b = 0; b < uniforms.Length; b++) uniforms[b] = random.NextUniform();
        return Draw(Probabilities(logits, sampling), uniforms);
    }

    /// <summary>
    /// Inverse-CDF sampling: for row b of probabilities (B, V), the first token whose running total reaches
    /// u_b · (the row's total), u_b in (0, 1). All rows in a few engine calls however many there are; a token of
    /// probability 0 is never drawn (its running total equals the one before it, which was still short). Counted in
    /// float32 at least, since half-precision running totals over a large vocabulary are too coarse.
    /// </summary>
    public static Tensor Draw(Tensor probabilities, IReadOnlyList<double> uniforms)
    {
        if (uniforms.Count != probabilities.size(0))
            throw new ArgumentException($"{uniforms.Count} random numbers for {probabilities.size(0)} rows");
        var p = probabilities.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? probabilities.to(ScalarType.Float32) : probabilities;
        var cdf = p.cumsum(-1);
        var total = cdf.narrow(-1, cdf.size(-1) - 1, 1);                                                 // (B, 1)
        // A u so small that it rounds to 0 in float32 would make the target 0, which the first token reaches even at probability 0.
        var u = torch.tensor(uniforms.Select(x => Math.Max(x, 1e-30)).ToArray(), [uniforms.Count, 1], p.device).to(p.dtype);
        return cdf.lt(u * total).sum(-1);                                                               // tokens before the target
    }

    /// <summary>
    /// The distribution a sampled token is drawn from: temperature, top-k, top-p and min-p on logits (B, V), then
    /// softmax. Row by row, so rows that share settings go through it together and each draws with its own generator.
    /// </summary>
    public static Tensor Probabilities(Tensor logits, SamplingOptions sampling)
    {
        if (sampling.Temperature != 1.0) logits = logits / sampling.Temperature;
        if (sampling.TopK is { } k) logits = TopK(logits, k);
        if (sampling.TopP is { } p && p < 1.0) logits = TopP(logits, p);
        if (sampling.MinP is { } m && m > 0) logits = MinP(logits, m);
        return logits.softmax(-1);
    }

    /// <summary>
    /// CTRL's repetition penalty (Keskar et al. 2019), as transformers applies it: a logit of a token already in
    /// the sequence is divided by the penalty when positive and multiplied by it when negative.
    /// </summary>
    public static Tensor RepetitionPenalty(Tensor logits, Tensor seenIds, double penalty)
    {
        var seen = logits.gather(1, seenIds);                                   // (B, L)
        var penalised = torch.where(seen.lt(0), seen * penalty, seen / penalty);
        return logits.scatter(1, seenIds, penalised);
    }

    /// <summary>Keeps the k largest logits per row (ties with the k-th kept), the rest −∞.</summary>
    public static Tensor TopK(Tensor logits, int k)
    {
        k = (int)Math.Min(k, logits.size(-1));
        var kth = logits.topk(k).values.narrow(-1, k - 1, 1);                  // (B, 1)
        return logits.masked_fill(logits.lt(kth), double.NegativeInfinity);
    }

    /// <summary>
    /// Nucleus sampling (Holtzman et al. 2019): keeps the smallest set of most likely tokens whose probability
    /// reaches p (always at least the top one).
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        var (sorted, order) = logits.sort(-1, descending: true);
        var probs = sorted.softmax(-1);
        var before = probs.cumsum(-1) - probs;                                  // mass of strictly better tokens
        var removeSorted = before.gt(p);                                        // the first token has before = 0: kept
        var remove = removeSorted.scatter(1, order, removeSorted);
        return logits.masked_fill(remove, double.NegativeInfinity);
    }

    /// <summary>min-p (Nguyen et al. 2024): drops tokens whose probability is below p × the top token's.</summary>
    public static Tensor MinP(Tensor logits, double p)
    {
        var probs = logits.softmax(-1);
        var threshold = probs.max(-1, keepdim: true).values * p;
        return logits.masked_fill(probs.lt(threshold), double.NegativeInfinity);
    }
}
