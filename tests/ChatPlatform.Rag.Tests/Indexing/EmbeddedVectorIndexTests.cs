using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Rag.Tests.Indexing;

public class EmbeddedVectorIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The reference: cosine similarity in double precision, one scalar loop per row, full sort.</summary>
    private static List<(string Id, double Score)> BruteForce(Dictionary<string, float[]> rows, float[] query, int k)
    {
        static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));
        return rows.Select(r =>
        {
            double dot = 0;
            for (var i = 0; i < query.Length; i++) dot += (double)r.Value[i] * query[i];
            return (r.Key, dot / (Norm(r.Value) * Norm(query)));
        }).OrderByDescending(x => x.Item2).Take(k).ToList();
    }

    /// <summary>
    /// Rows whose scores differ by less than half precision can tell apart (7e-7 near 0.7) are still ranked exactly:
    /// the guard for any reduced-precision pre-scan, which would see ~240-row ties here.
    /// </summary>
    [Fact]
    public async Task Near_ties_below_half_precision_still_give_the_exact_top_k()
    {
        using var dir = new TempDirectory();
        var database = KnowledgeDatabase.OpenInDataDirectory(dir.Path);
        using var index = new EmbeddedVectorIndex(database);
        const int dim = 8;
        await index.InitializeAsync(dim, "near-ties", Ct);
        var store = new KnowledgeStore(database, index);
        var rows = new Dictionary<string, float[]>();
        var chunks = Enumerable.Range(0, 400).Select(i => new Chunk(Chunk.MakeId("doc", i, $"t{i}"), "doc", i, [], $"t{i}", 1)).ToList();
        // (0.5 + i·1e-6, 0.5, 0, ...): scores 7e-7 apart, while a half's step near 0.5 is 2.4e-4
        var vectors = chunks.Select((_, i) =>
        {
            var v = new float[dim];
            v[0] = 0.5f + i * 1e-6f;
            v[1] = 0.5f;
            return v;
        }).ToList();
        for (var i = 0; i < chunks.Count; i++) rows[chunks[i].Id] = vectors[i];
        await store.ReplaceDocumentAsync(new KnowledgeDocument("doc", "doc", "doc", DocumentKind.PlainText, [], "h", 0, 0, DateTime.UtcNow), chunks, vectors, Ct);

        var query = new float[dim];
        query[0] = 1f;
        var expected = BruteForce(rows, query, 5);
        var actual = await index.SearchAsync(query, 5, ct: Ct);

        Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.ChunkId));
    }

    [Theory]
    [InlineData(500, 16)]
    [InlineData(20_000, 24)]  // above the threshold where the scan runs in partitions (three here, whatever the cores)
    public async Task Exact_search_matches_a_scalar_brute_force_reference(int n, int dim)
    {
        using var dir = new TempDirectory();
        var database = KnowledgeDatabase.OpenInDataDirectory(dir.Path);
        using var index = new EmbeddedVectorIndex(database) { ScanPartitions = 3 };
        await index.InitializeAsync(dim, "random", Ct);
        var store = new KnowledgeStore(database, index);
        var random = new Random(7);
        var rows = new Dictionary<string, float[]>();
        const int perDocument = 500;
        for (var d = 0; d < n / perDocument; d++)
        {
            var docId = $"doc{d}";
            var chunks = Enumerable.Range(0, perDocument).Select(i => new Chunk(Chunk.MakeId(docId, i, $"t{i}"), docId, i, [], $"t{i}", 1)).ToList();
            var vectors = chunks.Select(_ => Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToList();
            for (var i = 0; i < chunks.Count; i++) rows[chunks[i].Id] = vectors[i];
            await store.ReplaceDocumentAsync(new KnowledgeDocument(docId, docId, docId, DocumentKind.PlainText, [], "h", 0, 0, DateTime.UtcNow),
                                             chunks, vectors, Ct);
        }
        for (var q = 0; q < 5; q++)
        {
            var query = Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var expected = BruteForce(rows, query, 10);
            var actual = await index.SearchAsync(query, 10, ct: Ct);
            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.ChunkId));
            for (var i = 0; i < 10; i++) Assert.Equal(expected[i].Score, actual[i].Score, 1e-5);
        }
        // a filter restricts the scan to the given documents
        var filtered = await index.SearchAsync(rows.First().Value, 5, new HashSet<string> { "doc0" }, Ct);
        var doc0Ids = store.GetDocumentChunks("doc0").Select(c => c.Id).ToHashSet();
        Assert.Equal(5, filtered.Count);
        Assert.All(filtered, h => Assert.Contains(h.ChunkId, doc0Ids));
    }

    [Fact]
    public async Task Incremental_updates_after_loading_match_a_fresh_load()
    {
        using var dir = new TempDirectory();
        var database = KnowledgeDatabase.OpenInDataDirectory(dir.Path);
        using var live = new EmbeddedVectorIndex(database);
        var store = new KnowledgeStore(database, live);
        Assert.Equal(0, live.Count);  // loaded (empty) before any write: every later change is applied incrementally
        async Task Put(string doc, params float[][] vectors)
        {
            var chunks = vectors.Select((_, i) => new Chunk(Chunk.MakeId(doc, i, doc), doc, i, [], $"{doc} {i}", 1)).ToList();
            await store.ReplaceDocumentAsync(new KnowledgeDocument(doc, doc, doc, DocumentKind.PlainText, [], "h", 0, 0, DateTime.UtcNow),
                                             chunks, vectors, Ct);
        }
        await Put("a", [1, 0, 0], [0, 1, 0]);
        await Put("b", [0, 0, 1]);
        await Put("a", [0.9f, 0.1f, 0]);  // replaces both of a's rows with one
        await store.DeleteDocumentAsync("b", Ct);
        await Put("c", [0, 0, 2]);

        using var fresh = new EmbeddedVectorIndex(database);
        var query = new float[] { 0.5f, 0.2f, 0.7f };
        Assert.Equal(2, live.Count);
        Assert.Equal(await fresh.SearchAsync(query, 5, ct: Ct), await live.SearchAsync(query, 5, ct: Ct));
        var vectors = await live.GetVectorsAsync([Chunk.MakeId("c", 0, "c")], Ct);
        Assert.Equal([0f, 0f, 1f], vectors.Single().Value);  // stored normalised
    }
}
