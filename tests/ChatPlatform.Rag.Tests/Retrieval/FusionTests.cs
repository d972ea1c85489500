using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Rag.Tests.Retrieval;

public class FusionTests
{
    [Fact]
    public void Rrf_matches_a_hand_computed_example()
    {
        // bm25: a, b, c    dense: c, a, d    (k = 60, ranks from 1)
        // a: 1/61 + 1/62 = 0.0325225   c: 1/63 + 1/61 = 0.0322664   b: 1/62 = 0.0161290   d: 1/63 = 0.0158730
        var fused = ReciprocalRankFusion.Fuse([["a", "b", "c"], ["c", "a", "d"]]);
        Assert.Equal(["a", "c", "b", "d"], fused.Select(f => f.Id));
        Assert.Equal(1.0 / 61 + 1.0 / 62, fused[0].Score, 12);
        Assert.Equal(0.0322664, fused[1].Score, 6);
        Assert.Equal(0.0161290, fused[2].Score, 6);
        Assert.Equal(0.0158730, fused[3].Score, 6);
    }

    [Fact]
    public void Mmr_skips_a_near_duplicate_of_what_it_already_picked()
    {
        // 0 and 1 are duplicates (similarity 1); 2 is less relevant but different.
        double[] relevance = [1.0, 0.95, 0.6];
        double Similarity(int i, int j) => (i, j) is (0, 1) or (1, 0) ? 1.0 : 0.0;
        Assert.Equal([0, 2, 1], MaximalMarginalRelevance.Select(relevance, Similarity, 3, lambda: 0.5));
        Assert.Equal([0, 1], MaximalMarginalRelevance.Select(relevance, Similarity, 2, lambda: 1.0));  // relevance only
    }

    [Fact]
    public void Jaccard_is_word_overlap()
    {
        Assert.Equal(1.0, MaximalMarginalRelevance.Jaccard("Reset the router.", "reset the router"));
        Assert.Equal(0.5, MaximalMarginalRelevance.Jaccard("a b c", "b c d"), 12);
    }
}
