using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Rag.Tests.Indexing;

public class KnowledgeStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A vector index that writes like the embedded one and then fails, as a crash between the two halves would.</summary>
    private sealed class FailingVectorIndex(IVectorIndex inner) : IVectorIndex
    {
        public Task<VectorIndexHealth> CheckHealthAsync(CancellationToken ct = default) => inner.CheckHealthAsync(ct);
        public bool Fail { get; set; }
        public string Name => "failing";
        public Task InitializeAsync(int dimension, string embeddingModel, CancellationToken ct = default) => inner.InitializeAsync(dimension, embeddingModel, ct);

        public async Task UpsertDocumentAsync(KnowledgeTransaction transaction, string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken ct = default)
        {
            await inner.UpsertDocumentAsync(transaction, documentId, vectors, ct);
            if (Fail) throw new IOException("simulated failure after the chunks and FTS rows were written");
        }

        public Task DeleteDocumentAsync(KnowledgeTransaction transaction, string documentId, CancellationToken ct = default) =>
            inner.DeleteDocumentAsync(transaction, documentId, ct);

        public Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, int topK, IReadOnlySet<string>? documentIds = null, CancellationToken ct = default) =>
            inner.SearchAsync(query, topK, documentIds, ct);

        public Task<IReadOnlyDictionary<string, float[]>> GetVectorsAsync(IReadOnlyCollection<string> chunkIds, CancellationToken ct = default) =>
            inner.GetVectorsAsync(chunkIds, ct);
    }

    private sealed class Setup : IDisposable
    {
        public TempDirectory Dir { get; } = new();
        public HashingEmbeddingGenerator Embedder { get; } = new();
        public EmbeddedVectorIndex Embedded { get; }
        public FailingVectorIndex Vectors { get; }
        public KnowledgeStore Store { get; }
        public KnowledgeIngestor Ingestor { get; }
        public HybridRetriever Retriever { get; }

        public Setup()
        {
            var database = KnowledgeDatabase.OpenInDataDirectory(Dir.Path);
            Embedded = new EmbeddedVectorIndex(database);
            Vectors = new FailingVectorIndex(Embedded);
            var model = EmbeddingBinding.BindAsync(Vectors, Embedder).GetAwaiter().GetResult();
            Store = new KnowledgeStore(database, Vectors);
            Ingestor = new KnowledgeIngestor(Store, ApproximateTokenCounter.Instance, embedder: Embedder, embeddingModel: model);
            Retriever = new HybridRetriever(Store, Embedder);
        }

        public async Task<IReadOnlyList<string>> Search(string text, RetrievalMode mode) =>
            (await Retriever.RetrieveAsync(new RetrievalQuery(text) { Mode = mode, TopK = 10 }, Ct)).Chunks.Select(c => c.Chunk.Text).ToList();

        public void Dispose()
        {
            Embedded.Dispose();
            Dir.Dispose();
        }
    }

    [Fact]
    public async Task Unchanged_file_is_a_no_op_and_a_changed_one_replaces_all_its_chunks()
    {
        using var s = new Setup();
        var path = s.Dir.File("router.md", "# Router\n\nThe router uses port 8080.\n\n## Reset\n\nHold reset for ten seconds.");
        var first = await s.Ingestor.AddFileAsync(path, ct: Ct);
        Assert.Equal(IngestOutcome.Added, first.Outcome);
        Assert.Equal(2, first.Chunks);
        var calls = s.Embedder.Calls;

        var again = await s.Ingestor.AddFileAsync(path, ct: Ct);
        Assert.Equal(IngestOutcome.Unchanged, again.Outcome);
        Assert.Equal(calls, s.Embedder.Calls);  // nothing re-embedded

        File.WriteAllText(path, "# Router\n\nThe router now uses port 9090.");
        var changed = await s.Ingestor.AddFileAsync(path, ct: Ct);
        Assert.Equal(IngestOutcome.Replaced, changed.Outcome);
        Assert.Equal(first.DocumentId, changed.DocumentId);
        Assert.Equal(["The router now uses port 9090."], s.Store.GetDocumentChunks(changed.DocumentId!).Select(c => c.Text));
        Assert.Empty(await s.Search("reset seconds", RetrievalMode.Bm25));
        Assert.Empty(s.Store.SearchBm25("8080", 10));
        Assert.Equal(1, s.Embedded.Count);
        Assert.Single(s.Store.ListDocuments());
    }

    [Fact]
    public async Task Chunks_are_embedded_as_passages_and_questions_as_queries()
    {
        using var s = new Setup();
        await s.Ingestor.AddFileAsync(s.Dir.File("a.md", "# A\n\nAlpha text.\n\n# B\n\nBeta text."), ct: Ct);
        Assert.NotEmpty(s.Embedder.PromptNames);
        Assert.All(s.Embedder.PromptNames, n => Assert.Equal("passage", n));

        await s.Search("alpha", RetrievalMode.Hybrid);
        Assert.Equal("query", s.Embedder.PromptNames[^1]);
    }

    [Fact]
    public async Task A_failure_mid_replace_leaves_the_old_version_searchable_everywhere()
    {
        using var s = new Setup();
        var path = s.Dir.File("policy.md", "# Refunds\n\nRefunds are accepted within thirty days.\n\n# Shipping\n\nShipping is free above fifty euros.");
        await s.Ingestor.AddFileAsync(path, ct: Ct);
        Assert.Equal(2, s.Embedded.Count);  // loads the matrix, so the in-memory state is checked too

        File.WriteAllText(path, "Refunds are no longer accepted.");
        s.Vectors.Fail = true;
        await Assert.ThrowsAsync<IOException>(() => s.Ingestor.AddFileAsync(path, ct: Ct));

        var id = KnowledgeIngestor.DocumentIdFor(path);
        Assert.Equal(2, s.Store.GetDocumentChunks(id).Count);
        Assert.Contains("Refunds are accepted within thirty days.", await s.Search("refunds thirty days", RetrievalMode.Bm25));
        Assert.Contains("Refunds are accepted within thirty days.", await s.Search("refunds thirty days", RetrievalMode.Dense));
        Assert.DoesNotContain("Refunds are no longer accepted.", await s.Search("refunds longer", RetrievalMode.Hybrid));
        Assert.Equal(2, s.Embedded.Count);

        s.Vectors.Fail = false;  // the next attempt goes through: nothing half-written blocks it
        Assert.Equal(IngestOutcome.Replaced, (await s.Ingestor.AddFileAsync(path, ct: Ct)).Outcome);
        Assert.Equal(["Refunds are no longer accepted."], await s.Search("refunds", RetrievalMode.Dense));
    }

    [Fact]
    public async Task Delete_removes_the_document_from_fts_vectors_and_memory()
    {
        using var s = new Setup();
        var keep = await s.Ingestor.AddFileAsync(s.Dir.File("a.txt", "Alpha widgets are blue."), ct: Ct);
        var drop = await s.Ingestor.AddFileAsync(s.Dir.File("b.txt", "Beta widgets are red."), ct: Ct);
        Assert.Equal(2, s.Embedded.Count);
        Assert.True(await s.Store.DeleteDocumentAsync(drop.DocumentId!, Ct));
        Assert.False(await s.Store.DeleteDocumentAsync(drop.DocumentId!, Ct));
        Assert.Equal(["Alpha widgets are blue."], await s.Search("widgets red beta", RetrievalMode.Hybrid));
        Assert.Equal(1, s.Embedded.Count);
        Assert.Equal([keep.DocumentId], s.Store.ListDocuments().Select(d => d.Id));

        // a fresh process (new index over the same file) sees the same state
        using var reopened = new EmbeddedVectorIndex(s.Store.Database);
        Assert.Equal(1, reopened.Count);
    }

    [Theory]
    [InlineData("\"unbalanced quote")]
    [InlineData("wi-fi NOT AND OR NEAR(")]
    [InlineData("-router")]
    [InlineData("port:8080 ^start * (x")]
    [InlineData("'); drop table chunks; --")]
    public async Task User_queries_with_fts_syntax_are_searched_as_words(string query)
    {
        using var s = new Setup();
        await s.Ingestor.AddFileAsync(s.Dir.File("net.txt", "The router wi-fi port 8080 starts quickly; drop the chunks near x. Quote of the day."), ct: Ct);
        var hits = s.Store.SearchBm25(query, 5);
        Assert.Single(hits);
        Assert.Equal(1, s.Store.CountChunks());
    }

    [Fact]
    public void Fts_query_quotes_every_word()
    {
        Assert.Equal("\"wi\" OR \"fi\" OR \"NOT\" OR \"router\"", FtsQuery.Build("wi-fi NOT \"router\""));
        Assert.Equal("\"reset\" OR \"router\"", FtsQuery.Build("How do I reset the router?"));
        Assert.Equal("\"the\"", FtsQuery.Build("the"));  // only stop words: keep them rather than search nothing
        Assert.Null(FtsQuery.Build("?! -- \"\""));
    }

    [Fact]
    public async Task Filters_restrict_by_document_kind_and_tag()
    {
        using var s = new Setup();
        var faq = await s.Ingestor.AddFileAsync(s.Dir.File("faq.json", """[{"question":"Do widgets ship abroad?","answer":"Widgets ship worldwide."}]"""),
                                                ["public"], Ct);
        var notes = await s.Ingestor.AddFileAsync(s.Dir.File("notes.md", "# Internal\n\nWidgets ship from Lyon."), ["internal"], Ct);
        async Task<IEnumerable<string>> Docs(RetrievalFilter filter) =>
            (await s.Retriever.RetrieveAsync(new RetrievalQuery("widgets ship") { Filter = filter }, Ct)).Chunks.Select(c => c.Chunk.DocumentId);
        Assert.Equal([faq.DocumentId], await Docs(new RetrievalFilter { Tags = ["public"] }));
        Assert.Equal([notes.DocumentId], await Docs(new RetrievalFilter { Kinds = [DocumentKind.Markdown] }));
        Assert.Equal([notes.DocumentId], await Docs(new RetrievalFilter { DocumentIds = [notes.DocumentId!] }));
        Assert.Empty(await Docs(new RetrievalFilter { Tags = ["public"], Kinds = [DocumentKind.Markdown] }));
    }

    [Fact]
    public async Task Folders_are_added_file_by_file_with_failures_reported_and_others_kept()
    {
        using var s = new Setup();
        s.Dir.File("good.md", "# Good\n\nUseful text.");
        s.Dir.File("empty.txt", "");
        Directory.CreateDirectory(Path.Combine(s.Dir.Path, ".hidden"));
        s.Dir.File(".hidden/skip.md", "secret");
        var results = new List<IngestResult>();
        await foreach (var r in s.Ingestor.AddPathsAsync([s.Dir.Path], ct: Ct)) results.Add(r);
        Assert.Equal([("empty.txt", IngestOutcome.Failed), ("good.md", IngestOutcome.Added)],
                     results.Where(r => !r.Path.EndsWith(".db") && !r.Path.Contains("knowledge.db"))
                            .Select(r => (Path.GetFileName(r.Path), r.Outcome)));
        Assert.Equal("empty file", results.Single(r => r.Path.EndsWith("empty.txt")).Error);
    }

    [Fact]
    public async Task Without_an_embedding_generator_retrieval_is_bm25_only_and_says_so()
    {
        using var dir = new TempDirectory();
        var store = new KnowledgeStore(KnowledgeDatabase.OpenInDataDirectory(dir.Path));
        await new KnowledgeIngestor(store, ApproximateTokenCounter.Instance).AddFileAsync(dir.File("a.txt", "Gadgets need batteries."), ct: Ct);
        var result = await new HybridRetriever(store).RetrieveAsync(new RetrievalQuery("gadgets"), Ct);
        Assert.False(result.DenseUsed);
        Assert.Equal(HybridRetriever.Bm25OnlyNote, result.Note);
        var hit = Assert.Single(result.Chunks);
        Assert.NotNull(hit.Bm25Score);
        Assert.Null(hit.DenseScore);
        Assert.Contains("[Gadgets]", hit.Citation.Snippet);
    }

    [Fact]
    public async Task A_different_embedding_dimension_is_refused_at_start_up()
    {
        using var s = new Setup();
        await s.Ingestor.AddFileAsync(s.Dir.File("a.txt", "Some text."), ct: Ct);
        using var other = new EmbeddedVectorIndex(s.Store.Database);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddingBinding.BindAsync(other, new HashingEmbeddingGenerator(32), Ct));
        Assert.Contains("64-dimensional", e.Message);
    }
}
