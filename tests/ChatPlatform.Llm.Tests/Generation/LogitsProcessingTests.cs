using ChatPlatform.Llm.Generation;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Generation;

/// <summary>Each sampling transform on a hand-made distribution whose result is easy to state.</summary>
public sealed class LogitsProcessingTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    private static Tensor Row(params double[] logits) => torch.tensor(logits, [1, logits.Length]);

    private static bool[] Kept(Tensor logits) => logits.isfinite().data<bool>();

    [Fact]
    public void TopKKeepsTheKLargest()
    {
        Assert.Equal(new[] { false, true, false, true }, Kept(LogitsProcessing.TopK(Row(1, 5, 2, 4), 2)));
        Assert.Equal(new[] { true, true, true, true }, Kept(LogitsProcessing.TopK(Row(1, 5, 2, 4), 10)));
    }

    [Fact]
    public void TopPKeepsTheSmallestSetReachingP()
    {
        // probabilities 0.5, 0.3, 0.15, 0.05 (logits are their logs)
        var logits = Row(Math.Log(0.5), Math.Log(0.3), Math.Log(0.15), Math.Log(0.05));
        Assert.Equal(new[] { true, false, false, false }, Kept(LogitsProcessing.TopP(logits, 0.45)));
        Assert.Equal(new[] { true, true, false, false }, Kept(LogitsProcessing.TopP(logits, 0.6)));
        Assert.Equal(new[] { true, true, true, false }, Kept(LogitsProcessing.TopP(logits, 0.9)));
        Assert.Equal(new[] { true, false, false, false }, Kept(LogitsProcessing.TopP(logits, 0.01)));   // never empty
        // order in the vocabulary does not matter
        Assert.Equal(new[] { false, true, false, true }, Kept(LogitsProcessing.TopP(Row(Math.Log(0.15), Math.Log(0.5), Math.Log(0.05), Math.Log(0.3)), 0.6)));
    }

    [Fact]
    public void MinPDropsTokensFarBelowTheTop()
    {
        var logits = Row(Math.Log(0.5), Math.Log(0.3), Math.Log(0.15), Math.Log(0.05));
        Assert.Equal(new[] { true, true, true, false }, Kept(LogitsProcessing.MinP(logits, 0.2)));   // threshold 0.1
        Assert.Equal(new[] { true, true, false, false }, Kept(LogitsProcessing.MinP(logits, 0.5)));  // threshold 0.25
    }

    [Fact]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeLogits()
    {
        var penalised = LogitsProcessing.RepetitionPenalty(Row(2, -2, 3, 1), torch.tensor(new long[] { 0, 1, 1 }, [1, 3]), 2.0);
        Assert.Equal(new[] { 1.0, -4.0, 3.0, 1.0 }, penalised.data<double>());
    }

    [Fact]
    public void SeededSamplingIsReproducibleAndGreedyIsArgmax()
    {
        var config = Models.TinyLlama.Config();
        using var weights = Models.TinyLlama.RandomWeights(config, seed: 2);
        using var model = Models.TinyLlama.Build(config, weights);
        int[] Run(SamplingOptions sampling)
        {
            using var session = new GenerationSession(model, new GenerationRequest([[1, 2, 3]], 12, sampling, new HashSet<int>()));
            while (!session.IsDone) session.Step();
            return session.Generated(0).ToArray();
        }
        var hot = new SamplingOptions { Temperature = 1.5, TopK = 40, TopP = 0.95, MinP = 0.01, RepetitionPenalty = 1.1, Seed = 7 };
        Assert.Equal(Run(hot), Run(hot));
        Assert.NotEqual(Run(hot), Run(hot with { Seed = 8 }));
        Assert.Equal(Run(SamplingOptions.Greedy), Run(new SamplingOptions { Temperature = 1.0, TopK = 1, Seed = 3 }));  // top-1 sampling is greedy
    }

    [Fact]
    public void InvalidSamplingSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { Temperature = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { TopP = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingOptions { TopK = 0 }.Validate());
    }

    /// <summary>
    /// The inverse-CDF draw against the distribution itself: uniforms spread evenly over (0, 1), including values a
    /// hair from either end, pick each token in proportion to its probability, and a token of probability 0 (masked,
    /// first, last or between) is never picked.
    /// </summary>
    [Fact]
    public void Draw_picks_each_token_in_proportion_and_never_a_masked_one()
    {
        var probabilities = torch.tensor(new float[] { 0f, 0.1f, 0f, 0.25f, 0.4f, 0f, 0.25f, 0f, 0f, 0f }, [1, 10]);
        const int n = 10_000;
        var uniforms = Enumerable.Range(0, n).Select(k => (k + 0.5) / n).Concat([1e-300, 1 - 1e-16, 0.1 - 1e-9, 0.1 + 1e-9]).ToArray();
        var counts = new int[10];
        foreach (var u in uniforms)
            counts[(int)LogitsProcessing.Draw(probabilities, [u]).data<long>()[0]]++;
        Assert.Equal(0, counts[0] + counts[2] + counts[5] + counts[7] + counts[8] + counts[9]);
        Assert.InRange(counts[1], 999, 1_003);   // 0.1 of the grid, the extreme values may add one each
        Assert.InRange(counts[3], 2_499, 2_503);
        Assert.InRange(counts[4], 3_999, 4_003);
        Assert.InRange(counts[6], 2_499, 2_503);
        // rows are independent: a batch of rows draws what each row draws alone
        var batch = torch.cat([probabilities, torch.tensor(new float[] { 0.5f, 0.5f, 0, 0, 0, 0, 0, 0, 0, 0 }, [1, 10])]);
        Assert.Equal(new long[] { 4, 1 }, LogitsProcessing.Draw(batch, [0.5, 0.75]).data<long>().ToArray());
    }
}
