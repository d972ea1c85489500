namespace ChatPlatform.Rag.Retrieval;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): score(d) = Σ over rankings of 1 / (k + rank(d)),
/// rank 1-based, k = 60 as in the paper. It needs no score calibration between BM25 and cosine similarity, which live
/// on unrelated scales.
/// </summary>
public static class ReciprocalRankFusion
{
    public const int DefaultK = 60;

    /// <summary>Fused scores of every id in any ranking, best first (ties by id for a stable order).</summary>
    public static IReadOnlyList<(string Id, double Score)> Fuse(IEnumerable<IReadOnlyList<string>> rankings, int k = DefaultK)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var ranking in rankings)
            for (var i = 0; i < ranking.Count; i++)
                scores[ranking[i]] = scores.GetValueOrDefault(ranking[i]) + 1.0 / (k + i + 1);
        return scores.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
    }
}
