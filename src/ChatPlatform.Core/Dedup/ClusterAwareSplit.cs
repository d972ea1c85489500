namespace ChatPlatform.Core.Dedup;

/// <summary>
/// Splits items into train and held-out eval sets so that no near-duplicate cluster straddles the two: a model must
/// not be evaluated on a reworded copy of what it trained on. Deterministic for a seed.
/// </summary>
public static class ClusterAwareSplit
{
    public const double DefaultEvalFraction = 0.1;

    /// <param name="clusterKey">The item's cluster; items without a near-duplicate get a key of their own.</param>
    /// <param name="evalFraction">Target share of items in eval (default 10%); at least one item when there are two or more.</param>
    public static (List<T> Train, List<T> Eval) Split<T>(
        IReadOnlyList<T> items, Func<T, string> clusterKey, double evalFraction = DefaultEvalFraction, int seed = 42)
    {
        if (evalFraction is < 0 or >= 1) throw new ArgumentException($"eval fraction must be in [0, 1), got {evalFraction}");
        var groups = items.Select((item, index) => (item, index))
            .GroupBy(x => clusterKey(x.item), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToList())
            .ToArray();
        new Random(seed).Shuffle(groups);

        var target = items.Count < 2 || evalFraction == 0 ? 0 : Math.Max(1, (int)Math.Round(items.Count * evalFraction));
        var evalGroups = new HashSet<int>();
        var evalCount = 0;
        for (var g = 0; g < groups.Length && evalCount < target; g++)
        {
            if (evalCount + groups[g].Count > target) continue; // would overshoot: keep the whole cluster in train
            evalGroups.Add(g);
            evalCount += groups[g].Count;
        }
        // Every cluster was larger than the target: hold out the first one that still leaves something to train on.
        if (target > 0 && evalCount == 0)
        {
            var g = Array.FindIndex(groups, x => x.Count < items.Count);
            if (g >= 0) evalGroups.Add(g);
        }

        var train = new List<(T item, int index)>();
        var eval = new List<(T item, int index)>();
        for (var g = 0; g < groups.Length; g++) (evalGroups.Contains(g) ? eval : train).AddRange(groups[g]);
        // Keep the input order within each side.
        return (train.OrderBy(x => x.index).Select(x => x.item).ToList(), eval.OrderBy(x => x.index).Select(x => x.item).ToList());
    }
}
