using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using ChatPlatform.Rag.Qdrant;
using ChatPlatform.Rag.Retrieval;
using ChatPlatform.Rag.Tests.Qdrant;

namespace ChatPlatform.Rag.Tests.Indexing;

/// <summary>
/// The <see cref="IVectorIndex"/> contract the knowledge store and retriever rely on, run against every implementation:
/// the embedded index and <see cref="QdrantVectorIndex"/> over an in-memory Qdrant double.
/// </summary>
public abstract class VectorIndexContractTests : IDisposable
{
    private const int Dimension = 4;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDirectory directory = new();
    protected KnowledgeDatabase Database { get; }

    protected VectorIndexContractTests() => Database = KnowledgeDatabase.OpenInDataDirectory(directory.Path);

    /// <summary>A new index over <see cref="Database"/>, not yet initialised; a second call sees the same stored vectors.</summary>
    protected abstract IVectorIndex CreateIndex();

    public virtual void Dispose() => directory.Dispose();

    private async Task<(IVectorIndex Index, KnowledgeStore Store)> Open()
    {
        var index = CreateIndex();
        await index.InitializeAsync(Dimension, "contract-model", Ct);
        return (index, new KnowledgeStore(Database, index));
    }

    protected static Task Put(KnowledgeStore store, string doc, params float[][] vectors)
    {
        var chunks = vectors.Select((_, i) => new Chunk(Chunk.MakeId(doc, i, $"{doc} text {i} {vectors[i][0]}"), doc, i, [], $"{doc} text {i}", 3)).ToList();
        return store.ReplaceDocumentAsync(new KnowledgeDocument(doc, doc, $"/{doc}.md", DocumentKind.Markdown, [], "h", chunks.Count, 3, DateTime.UtcNow),
                                          chunks, vectors, Ct);
    }

    private static string Id(string doc, int position, float first) => Chunk.MakeId(doc, position, $"{doc} text {position} {first}");

    [Fact]
    public async Task Health_reports_a_store_that_answers_with_the_vectors_it_holds()
    {
        var (index, store) = await Open();
        await Put(store, "a", [1, 0, 0, 0], [0, 2, 0, 0]);
        await Put(store, "b", [3, 3, 0, 0]);

        var health = await index.CheckHealthAsync(Ct);

        Assert.True(health.Healthy, health.Detail);
        Assert.Matches(@"\b3 (vectors|points)", health.Detail);
    }

    [Fact]
    public async Task Search_ranks_by_cosine_similarity_best_first()
    {
        var (index, store) = await Open();
        await Put(store, "a", [1, 0, 0, 0], [0, 2, 0, 0]);   // unnormalised input: scores are still cosines
        await Put(store, "b", [3, 3, 0, 0], [0, 0, 0, 1]);

        var hits = await index.SearchAsync(new float[] { 1, 0.2f, 0, 0 }, 3, ct: Ct);

        Assert.Equal([Id("a", 0, 1), Id("b", 0, 3), Id("a", 1, 0)], hits.Select(h => h.ChunkId));
        Assert.Equal(1 / MathF.Sqrt(1.04f), hits[0].Score, 1e-4);
        Assert.Equal(1.2f / MathF.Sqrt(1.04f) / MathF.Sqrt(2), hits[1].Score, 1e-4);
    }

    [Fact]
    public async Task Upsert_replaces_every_vector_of_the_document_and_delete_removes_them()
    {
        var (index, store) = await Open();
        await Put(store, "a", [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]);
        await Put(store, "b", [0, 0, 0, 1]);
        await Put(store, "a", [0, 1, 0, 0]);   // a now has one chunk

        var all = await index.SearchAsync(new float[] { 1, 1, 1, 1 }, 10, ct: Ct);
        Assert.Equal([Id("a", 0, 0), Id("b", 0, 0)], all.Select(h => h.ChunkId).Order(StringComparer.Ordinal));

        Assert.True(await store.DeleteDocumentAsync("b", Ct));
        var left = await index.SearchAsync(new float[] { 0, 0, 0, 1 }, 10, ct: Ct);
        Assert.Equal([Id("a", 0, 0)], left.Select(h => h.ChunkId));
    }

    [Fact]
    public async Task A_document_filter_restricts_the_search()
    {
        var (index, store) = await Open();
        await Put(store, "a", [1, 0, 0, 0]);
        await Put(store, "b", [0.9f, 0.1f, 0, 0], [0, 1, 0, 0]);
        await Put(store, "c", [1, 0.05f, 0, 0]);

        var hits = await index.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, new HashSet<string> { "b", "c" }, Ct);

        Assert.Equal([Id("c", 0, 1), Id("b", 0, 0.9f), Id("b", 1, 0)], hits.Select(h => h.ChunkId));
        Assert.Empty(await index.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, new HashSet<string>(), Ct));
    }

    [Fact]
    public async Task Stored_vectors_come_back_normalised_and_unknown_ids_are_absent()
    {
        var (index, store) = await Open();
        await Put(store, "a", [3, 4, 0, 0]);

        var vectors = await index.GetVectorsAsync([Id("a", 0, 3), "no-such-chunk"], Ct);

        var vector = Assert.Single(vectors);
        Assert.Equal(Id("a", 0, 3), vector.Key);
        Assert.Equal([0.6f, 0.8f, 0, 0], vector.Value.Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public async Task Another_dimension_or_model_is_refused_at_start_up()
    {
        var (_, store) = await Open();
        await Put(store, "a", [1, 0, 0, 0]);

        var other = CreateIndex();
        await Assert.ThrowsAsync<InvalidOperationException>(() => other.InitializeAsync(Dimension + 1, "contract-model", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => CreateIndex().InitializeAsync(Dimension, "another-model", Ct));
        await CreateIndex().InitializeAsync(Dimension, "contract-model", Ct);   // the same binding is fine
    }

    [Fact]
    public async Task A_replace_that_fails_after_the_index_write_leaves_the_old_version_searchable()
    {
        var (index, store) = await Open();
        await Put(store, "a", [1, 0, 0, 0], [0, 1, 0, 0]);
        var failing = new KnowledgeStore(Database, new FailAfterUpsert(index));

        await Assert.ThrowsAsync<IOException>(() => Put(failing, "a", [0, 0, 1, 0]));

        string[] old = [Id("a", 0, 1), Id("a", 1, 0)];
        var hits = await index.SearchAsync(new float[] { 1, 1, 1, 0 }, 10, ct: Ct);
        Assert.Equal(old.Order(StringComparer.Ordinal), hits.Select(h => h.ChunkId).Order(StringComparer.Ordinal));
        Assert.Equal(old, store.GetDocumentChunks("a").Select(c => c.Id));
        var retrieved = await new HybridRetriever(store, new HashingEmbeddingGenerator(Dimension))
            .RetrieveAsync(new RetrievalQuery("a text") { Mode = RetrievalMode.Dense }, Ct);
        Assert.Equal(2, retrieved.Chunks.Count);
    }

    /// <summary>Writes through the real index, then fails as a later step of the same replace would (disk full, crash...).</summary>
    private sealed class FailAfterUpsert(IVectorIndex inner) : IVectorIndex
    {
        public Task<VectorIndexHealth> CheckHealthAsync(CancellationToken ct = default) => inner.CheckHealthAsync(ct);
        public string Name => inner.Name;
        public Task InitializeAsync(int dimension, string embeddingModel, CancellationToken ct = default) => inner.InitializeAsync(dimension, embeddingModel, ct);

        public async Task UpsertDocumentAsync(KnowledgeTransaction transaction, string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken ct = default)
        {
            await inner.UpsertDocumentAsync(transaction, documentId, vectors, ct);
            throw new IOException("disk full");
        }

        public Task DeleteDocumentAsync(KnowledgeTransaction transaction, string documentId, CancellationToken ct = default) =>
            inner.DeleteDocumentAsync(transaction, documentId, ct);

        public Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, int topK, IReadOnlySet<string>? documentIds = null, CancellationToken ct = default) =>
            inner.SearchAsync(query, topK, documentIds, ct);

        public Task<IReadOnlyDictionary<string, float[]>> GetVectorsAsync(IReadOnlyCollection<string> chunkIds, CancellationToken ct = default) =>
            inner.GetVectorsAsync(chunkIds, ct);
    }
}

public sealed class EmbeddedVectorIndexContractTests : VectorIndexContractTests
{
    private readonly List<EmbeddedVectorIndex> indexes = [];

    protected override IVectorIndex CreateIndex()
    {
        var index = new EmbeddedVectorIndex(Database);
        indexes.Add(index);
        return index;
    }

    public override void Dispose()
    {
        foreach (var index in indexes) index.Dispose();
        base.Dispose();
    }
}

public sealed class QdrantVectorIndexContractTests : VectorIndexContractTests
{
    private readonly InMemoryQdrantServer server = new("chunks");
    private readonly HttpClient http;

    public QdrantVectorIndexContractTests() => http = new HttpClient(server);

    protected override IVectorIndex CreateIndex() => CreateIndex(4);

    private QdrantVectorIndex CreateIndex(int vectorSize, int batchSize = 256) =>
        new(new QdrantRestClient(http, new QdrantOptions
        {
            Url = new Uri("http://qdrant.test:6333"), Collection = server.Collection, VectorSize = vectorSize, UpsertBatchSize = batchSize,
            KeywordIndexes = QdrantVectorIndex.KeywordIndexes, MaxRetries = 0,
        }), Database);

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    [Fact]
    public async Task Health_is_bad_when_qdrant_fails_or_the_collection_is_gone_and_names_the_server()
    {
        var index = CreateIndex(4);
        await index.InitializeAsync(4, "contract-model", Ct);
        server.FailNext((method, path) => method == "GET" && path == "/collections/chunks");

        var failed = await index.CheckHealthAsync(Ct);
        var missing = await CreateIndexOf("elsewhere").CheckHealthAsync(Ct);

        Assert.False(failed.Healthy);
        Assert.Contains("http://qdrant.test:6333", failed.Detail);
        Assert.Contains("injected failure", failed.Detail);
        Assert.False(missing.Healthy);
        Assert.Contains("collection elsewhere: the collection does not exist", missing.Detail);
    }

    private QdrantVectorIndex CreateIndexOf(string collection) =>
        new(new QdrantRestClient(http, new QdrantOptions
        {
            Url = new Uri("http://qdrant.test:6333"), Collection = collection, VectorSize = 4, KeywordIndexes = QdrantVectorIndex.KeywordIndexes, MaxRetries = 0,
        }), Database);

    [Fact]
    public async Task A_Qdrant_failure_in_the_middle_of_a_replace_leaves_the_old_version_and_no_new_points()
    {
        var index = CreateIndex(4, batchSize: 2);
        await index.InitializeAsync(4, "contract-model", Ct);
        var store = new KnowledgeStore(Database, index);
        await Put(store, "a", [1, 0, 0, 0], [0, 1, 0, 0]);
        var before = server.Payloads.Select(p => p.ToJsonString()).Order().ToList();
        var upserts = 0;
        server.FailNext((method, path) => method == "PUT" && path.StartsWith("/collections/chunks/points", StringComparison.Ordinal) && ++upserts == 2);

        var error = await Assert.ThrowsAsync<QdrantException>(() => Put(store, "a", [0, 0, 1, 0], [0, 0, 0, 1], [1, 1, 0, 0]));

        Assert.Contains("injected failure", error.Message);
        Assert.Equal(before, server.Payloads.Select(p => p.ToJsonString()).Order().ToList());   // first batch undone
        Assert.Equal(2, store.GetDocumentChunks("a").Count);
        var hits = await index.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, ct: Ct);
        Assert.Equal(Chunk.MakeId("a", 0, "a text 0 1"), hits[0].ChunkId);
    }

    [Fact]
    public async Task Points_carry_document_chunk_and_generation_and_a_replace_removes_the_previous_generation()
    {
        var index = CreateIndex(4);
        await index.InitializeAsync(4, "contract-model", Ct);
        var store = new KnowledgeStore(Database, index);
        await Put(store, "a", [1, 0, 0, 0]);
        var first = Assert.Single(server.Payloads);
        await Put(store, "a", [1, 0, 0, 0]);   // same chunk id, new generation

        var second = Assert.Single(server.Payloads);
        Assert.Equal("a", second["document_id"]!.GetValue<string>());
        Assert.Equal(Chunk.MakeId("a", 0, "a text 0 1"), second["chunk_id"]!.GetValue<string>());
        Assert.NotEqual(first["generation"]!.GetValue<string>(), second["generation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_collection_of_another_size_is_refused_with_the_sizes_named()
    {
        await CreateIndex(4).InitializeAsync(4, "m", Ct);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CreateIndex(8).InitializeAsync(8, "m", Ct));
        Assert.Contains("size 4", error.Message);
        Assert.Contains("8-dimensional", error.Message);
    }

    [Fact]
    public async Task The_configured_store_is_chosen_by_options_and_bad_settings_name_the_key()
    {
        var qdrant = new RagOptions { VectorStore = "Qdrant", Qdrant = new RagQdrantOptions { Url = "http://localhost:6333", Collection = "kb" } };
        Assert.IsType<QdrantVectorIndex>(qdrant.CreateIndex(Database, 384, http));
        using var embedded = Assert.IsType<EmbeddedVectorIndex>(new RagOptions().CreateIndex(Database, 384, http));

        Assert.Contains("Rag:VectorStore", Assert.Throws<ArgumentException>(() => new RagOptions { VectorStore = "pinecone" }.Validate()).Message);
        Assert.Contains("Rag:Qdrant:Url", Assert.Throws<ArgumentException>(() => new RagOptions { VectorStore = "qdrant" }.Validate()).Message);
        Assert.Contains("Rag:Qdrant:Url", Assert.Throws<ArgumentException>(() =>
            (qdrant with { Qdrant = new RagQdrantOptions { Url = "localhost:6333" } }).Validate()).Message);
        Assert.Contains("Rag:Qdrant:Collection", Assert.Throws<ArgumentException>(() =>
            (qdrant with { Qdrant = qdrant.Qdrant with { Collection = "a/b" } }).Validate()).Message);
    }
}

/// <summary>The same contract against a real Qdrant when QDRANT_URL is set (QDRANT_API_KEY too if it has one); skipped otherwise.</summary>
public sealed class LiveQdrantVectorIndexContractTests : VectorIndexContractTests
{
    private readonly HttpClient http = new();
    private readonly string collection = "chatplatform-contract-" + Guid.NewGuid().ToString("N")[..8];
    private bool created;

    protected override IVectorIndex CreateIndex()
    {
        var url = Environment.GetEnvironmentVariable("QDRANT_URL");
        Assert.SkipWhen(string.IsNullOrEmpty(url), "QDRANT_URL is not set: no Qdrant server to test against");
        created = true;
        return new RagOptions
        {
            VectorStore = RagOptions.QdrantStore,
            Qdrant = new RagQdrantOptions { Url = url, ApiKey = Environment.GetEnvironmentVariable("QDRANT_API_KEY"), Collection = collection },
        }.CreateIndex(Database, 4, http);
    }

    public override void Dispose()
    {
        if (created)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(new Uri(Environment.GetEnvironmentVariable("QDRANT_URL")!), "collections/" + collection));
            if (Environment.GetEnvironmentVariable("QDRANT_API_KEY") is { Length: > 0 } key) request.Headers.Add("api-key", key);
            using var _ = http.Send(request);
        }
        http.Dispose();
        base.Dispose();
    }
}
