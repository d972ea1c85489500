using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Rag.Tests.Indexing;

/// <summary>
/// BM25 at scale: a word most chunks contain only ranks chunks that also have a rarer query word, and the scores of
/// the chunks kept are the full query's (checked against FTS5's own bm25() over every word, row by row).
/// </summary>
public class CommonTermsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly int[] ZebraChunks = [5, 706, 1_903];

    /// <summary>
    /// Chunks numbered from 0: 48% say "acme" (common above 2,000 chunks, yet under half, so FTS5 gives it a weight),
    /// the first <paramref name="manualChunks"/> say "manual", three say "zebra".
    /// </summary>
    private static async Task<KnowledgeStore> Corpus(TempDirectory dir, int chunks, int manualChunks)
    {
        var store = new KnowledgeStore(KnowledgeDatabase.OpenInDataDirectory(dir.Path));
        for (var d = 0; d < chunks / 100; d++)
        {
            var id = $"doc-{d}";
            var list = Enumerable.Range(0, 100).Select(i =>
            {
                var n = d * 100 + i;
                var text = $"page {n} filler{n % 37} words{n % 11}"
                           + (n % 25 < 12 ? " acme" : "")
                           + (n < manualChunks ? " manual" : "")
                           + (ZebraChunks.Contains(n) ? " zebra" + string.Concat(Enumerable.Repeat(" acme", n % 4)) : "");

                return new Chunk(Chunk.MakeId(id, i, text), id, i, [], text, 8);
            }).ToList();
            await store.ReplaceDocumentAsync(new KnowledgeDocument(id, $"Doc {d}", $"/{id}.md", DocumentKind.Markdown, [], id, 100, 800, DateTime.UtcNow),
                                             list, null, Ct);
        }
        return store;
    }

    private static double FullQueryScore(KnowledgeStore store, string chunkId, string match)
    {
        using var connection = store.Database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            select bm25(chunks_fts, 1.0, 2.0, 1.0) from chunks_fts f join chunks c on c.rowid = f.rowid
            where chunks_fts match $q and c.id = $id
            """;
        command.Parameters.AddWithValue("$q", match);
        command.Parameters.AddWithValue("$id", chunkId);
        return -(double)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_word_in_most_chunks_only_ranks_chunks_with_a_rarer_word_and_their_scores_are_the_full_querys()
    {
        using var dir = new TempDirectory();
        var store = await Corpus(dir, 5_000, manualChunks: 0);

        var hits = store.SearchBm25("acme zebra", 50);

        var texts = store.GetChunks(hits.Select(h => h.ChunkId));
        Assert.Equal(ZebraChunks.Length, hits.Count);  // the 2,397 chunks with only "acme" are not ranked
        Assert.All(hits, h => Assert.Contains("zebra", texts[h.ChunkId].Text));
        Assert.All(hits, h => Assert.Equal(FullQueryScore(store, h.ChunkId, "\"acme\" OR \"zebra\""), h.Score, 9));
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.ChunkId), hits.Select(h => h.ChunkId));
        // "acme" still counts in the score of the chunks kept
        Assert.All(hits, h => Assert.NotEqual(FullQueryScore(store, h.ChunkId, "\"zebra\""), h.Score, 6));
    }

    [Fact]
    public async Task When_every_word_is_common_the_least_common_one_selects_the_chunks()
    {
        using var dir = new TempDirectory();
        var store = await Corpus(dir, 5_000, manualChunks: 2_100);

        var hits = store.SearchBm25("acme manual", 5_000);

        Assert.Equal(2_100, hits.Count);
        Assert.All(store.GetChunks(hits.Select(h => h.ChunkId)).Values, c => Assert.Contains("manual", c.Text));
    }

    [Fact]
    public async Task A_document_filter_applies_together_with_the_rare_words()
    {
        using var dir = new TempDirectory();
        var store = await Corpus(dir, 5_000, manualChunks: 0);

        var hits = store.SearchBm25("acme zebra", 50, new HashSet<string> { "doc-7" });

        var hit = Assert.Single(hits);
        Assert.Contains("page 706 ", store.GetChunks([hit.ChunkId])[hit.ChunkId].Text);
    }

    [Fact]
    public async Task In_a_small_knowledge_base_every_word_ranks_as_plain_bm25()
    {
        using var dir = new TempDirectory();
        var store = await Corpus(dir, 1_000, manualChunks: 0);

        var hits = store.SearchBm25("acme zebra", 50);

        Assert.Equal(50, hits.Count);  // chunks with only "acme" fill the list after the zebra ones
        Assert.All(hits, h => Assert.Equal(FullQueryScore(store, h.ChunkId, "\"acme\" OR \"zebra\""), h.Score, 9));
    }

    /// <summary>The chunk count behind the threshold is kept by triggers; it must follow replaces and deletes, and a
    /// database made before the count table existed must count every chunk once when it is next opened.</summary>
    [Fact]
    public async Task The_kept_chunk_count_follows_replace_delete_and_an_older_database()
    {
        using var dir = new TempDirectory();
        var store = await Corpus(dir, 300, manualChunks: 0);
        long Kept()
        {
            using var connection = store.Database.Connect();
            return CommonTerms.ChunkCount(connection);
        }
        Assert.Equal(300, Kept());
        var doc = new KnowledgeDocument("doc-1", "Doc 1", "/doc-1.md", DocumentKind.Markdown, [], "changed", 2, 16, DateTime.UtcNow);
        await store.ReplaceDocumentAsync(doc, [new Chunk(Chunk.MakeId("doc-1", 0, "one"), "doc-1", 0, [], "one", 8),
                                               new Chunk(Chunk.MakeId("doc-1", 1, "two"), "doc-1", 1, [], "two", 8)], null, Ct);
        Assert.Equal(202, Kept());
        await store.DeleteDocumentAsync("doc-0", Ct);
        Assert.Equal(102, Kept());

        using (var connection = store.Database.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "drop trigger chunk_total_insert; drop trigger chunk_total_delete; drop table chunk_total";
            command.ExecuteNonQuery();
        }
        KnowledgeDatabase.Open(store.Database.Path);
        Assert.Equal(102, Kept());
    }
}
