using ChatPlatform.Core.Dedup;

namespace ChatPlatform.Core.Tests.Dedup;

public sealed class NearDuplicateTests
{
    const string Reset = "How do I reset my router to factory settings? Hold the reset button on the back for ten seconds until the power light blinks orange, then wait two minutes for it to restart.";
    const string ResetReworded = "How can I reset my router to factory settings? Hold the reset button on the back for ten seconds until the power light blinks orange, then wait 2 minutes for it to restart.";
    const string Shipping = "Do you ship to Norway? Yes, we ship to all Nordic countries; delivery takes five to seven working days and customs fees are included in the price.";
    const string Warranty = "How long is the warranty on the Oslo desk? The frame has a ten year warranty and the tabletop five years, starting on the delivery date.";

    /// <summary>Exact Jaccard over character 5-grams, written here independently of the code under test.</summary>
    static double ExactJaccard(string x, string y)
    {
        static HashSet<string> Grams(string s)
        {
            var t = new string(s.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c == ' ').ToArray());
            t = string.Join(' ', t.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            return Enumerable.Range(0, t.Length - 4).Select(i => t.Substring(i, 5)).ToHashSet();
        }
        var a = Grams(x);
        var b = Grams(y);
        return (double)a.Intersect(b).Count() / a.Union(b).Count();
    }

    [Fact]
    public void Normalised_hash_ignores_case_punctuation_and_spacing()
    {
        Assert.Equal(TextNormalizer.Hash([new("user", "Where is  my ORDER?")]), TextNormalizer.Hash([new("user", "where is my order")]));
        Assert.NotEqual(TextNormalizer.Hash([new("user", "where is my order")]), TextNormalizer.Hash([new("user", "where is my invoice")]));
    }

    [Theory]
    [InlineData(Reset, ResetReworded)]
    [InlineData(Reset, Shipping)]
    [InlineData(Shipping, Warranty)]
    [InlineData(Reset, Reset + " Then log in with the password on the sticker.")]
    public void MinHash_estimate_is_within_tolerance_of_exact_jaccard(string x, string y)
    {
        var clusterer = new NearDuplicateClusterer();
        var estimate = MinHasher.EstimateJaccard(clusterer.Signature(x), clusterer.Signature(y));
        // 128 permutations: standard error ≤ sqrt(0.25/128) ≈ 0.044; 0.15 is more than three of them.
        Assert.InRange(estimate, ExactJaccard(x, y) - 0.15, ExactJaccard(x, y) + 0.15);
    }

    [Fact]
    public void Reworded_pairs_cluster_and_unrelated_texts_do_not()
    {
        Assert.True(ExactJaccard(Reset, ResetReworded) > 0.8, "the reworded pair is a near-duplicate by construction");
        var clusters = new NearDuplicateClusterer().Cluster([(10, Shipping), (3, Reset), (7, Warranty), (5, ResetReworded)]);

        Assert.Equal(3, clusters[3]);
        Assert.Equal(3, clusters[5]); // the cluster is named after its smallest id
        Assert.False(clusters.ContainsKey(10));
        Assert.False(clusters.ContainsKey(7));
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        // The reworded pair is ~0.85 similar: a near-duplicate at the default 0.8, not at 0.95.
        Assert.True(new NearDuplicateClusterer().Cluster([(1, Reset), (2, ResetReworded)]).ContainsKey(1));
        Assert.Empty(new NearDuplicateClusterer(new NearDuplicateOptions(Threshold: 0.95)).Cluster([(1, Reset), (2, ResetReworded)]));
        Assert.Throws<ArgumentException>(() => new NearDuplicateClusterer(new NearDuplicateOptions(Permutations: 100, Bands: 32)));
    }

    [Fact]
    public void Cluster_aware_split_never_straddles_and_is_deterministic()
    {
        // 200 items in clusters of 1 to 5.
        var items = Enumerable.Range(0, 200).Select(i => (Id: i, Cluster: i < 150 ? $"c{i / 5}" : $"s{i}")).ToList();

        var (train, eval) = ClusterAwareSplit.Split(items, x => x.Cluster, seed: 7);

        Assert.Equal(200, train.Count + eval.Count);
        Assert.Empty(train.Select(x => x.Cluster).Intersect(eval.Select(x => x.Cluster)));
        Assert.InRange(eval.Count, 15, 20); // ~10%, never more than the target
        var again = ClusterAwareSplit.Split(items, x => x.Cluster, seed: 7);
        Assert.Equal(eval, again.Eval);
        Assert.NotEqual(eval, ClusterAwareSplit.Split(items, x => x.Cluster, seed: 8).Eval);
    }

    [Fact]
    public void Split_holds_out_something_even_when_every_cluster_is_larger_than_the_target()
    {
        var items = new[] { "a", "a", "b", "b", "c", "c" };
        var (train, eval) = ClusterAwareSplit.Split(items, x => x);
        Assert.Equal(2, eval.Count);
        Assert.Single(eval.Distinct());
        Assert.Equal(4, train.Count);
    }
}
