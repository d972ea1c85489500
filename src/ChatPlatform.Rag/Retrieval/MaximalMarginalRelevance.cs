namespace ChatPlatform.Rag.Retrieval;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, SIGIR 1998): greedily pick the candidate maximising
/// λ·relevance − (1−λ)·max similarity to those already picked. Relevance is min-max scaled to [0, 1] first so it is
/// on the same scale as a similarity.
/// </summary>
public static class MaximalMarginalRelevance
{
    /// <returns>Indices into <paramref name="relevance"/> in selection order.</returns>
    public static IReadOnlyList<int> Select(IReadOnlyList<double> relevance, Func<int, int, double> similarity, int k, double lambda)
    {
        if (lambda is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(lambda), "MMR lambda must be within [0, 1]");
        var n = relevance.Count;
        if (n == 0 || k <= 0) return [];
        double min = relevance.Min(), max = relevance.Max();
        var scaled = relevance.Select(r => max > min ? (r - min) / (max - min) : 1.0).ToArray();
        var selected = new List<int>();
        var maxSimilarity = new double[n];
        var remaining = Enumerable.Range(0, n).ToHashSet();
        while (selected.Count < Math.Min(k, n))
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            foreach (var i in remaining.Order())
            {
                var score = lambda * scaled[i] - (1 - lambda) * (selected.Count == 0 ? 0 : maxSimilarity[i]);
                if (score > bestScore) (best, bestScore) = (i, score);
            }
            selected.Add(best);
            remaining.Remove(best);
            foreach (var i in remaining) maxSimilarity[i] = Math.Max(maxSimilarity[i], similarity(i, best));
        }
        return selected;
    }

    /// <summary>Word-set Jaccard similarity: the fallback when chunks have no vectors.</summary>
    public static double Jaccard(string a, string b)
    {
        var x = Words(a);
        var y = Words(b);
        if (x.Count == 0 && y.Count == 0) return 1;
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    private static HashSet<string> Words(string text) =>
        text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(',', '.', ';', ':', '!', '?', '(', ')'))
            .Where(w => w.Length > 0).ToHashSet();
}
