namespace ChatPlatform.Training.Data;

/// <summary>A dataset divided into what the model trains on and what it is evaluated on.</summary>
public sealed record TrainEvalSplit<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Eval);

/// <summary>Deterministic train/eval splits.</summary>
public static class TrainEvalSplit
{
    public const double DefaultEvalFraction = 0.1;

    /// <summary>
    /// Holds out ceil(<paramref name="evalFraction"/> × n) examples chosen by <paramref name="seed"/> (as Hugging Face
    /// datasets' train_test_split rounds the test side up), at least one and at most n - 1 when n ≥ 2 and the fraction
    /// is positive; a single example is all train. Both parts keep the input order. The same examples, fraction
    /// and seed always give the same split.
    /// </summary>
    public static TrainEvalSplit<T> Split<T>(IReadOnlyList<T> examples, double evalFraction = DefaultEvalFraction, long seed = 42)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(evalFraction >= 0 && evalFraction < 1)) throw new ArgumentOutOfRangeException(nameof(evalFraction), evalFraction, "must be in [0, 1)");
        var n = examples.Count;
        var evalCount = 0;
        if (n >= 2 && evalFraction > 0)
            evalCount = Math.Clamp((int)Math.Ceiling(evalFraction * n - 1e-9), 1, n - 1);

        var held = new bool[n];
        foreach (var i in SeededRandom.ForStream(seed, stream: -1).Permutation(n).Take(evalCount)) held[i] = true;
        var train = new List<T>(n - evalCount);
        var eval = new List<T>(evalCount);
        for (var i = 0; i < n; i++) (held[i] ? eval : train).Add(examples[i]);
        return new TrainEvalSplit<T>(train, eval);
    }

    /// <summary>
    /// With an eval set given (an eval file), all of <paramref name="examples"/> trains and <paramref name="evalExamples"/>
    /// evaluates; otherwise as <see cref="Split{T}(IReadOnlyList{T}, double, long)"/>.
    /// </summary>
    public static TrainEvalSplit<T> Split<T>(IReadOnlyList<T> examples, IReadOnlyList<T>? evalExamples, double evalFraction = DefaultEvalFraction, long seed = 42)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return evalExamples is null ? Split(examples, evalFraction, seed) : new TrainEvalSplit<T>(examples, evalExamples);
    }
}
