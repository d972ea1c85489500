using System.Net;
using System.Text.Json.Nodes;
using ChatPlatform.Rag.Qdrant;

namespace ChatPlatform.Rag.Tests.Qdrant;

/// <summary>The REST client against an HTTP double: the exact requests it sends and how it reads Qdrant's answers.</summary>
public sealed class QdrantRestClientTests
{
    private readonly FakeQdrantHandler server = new();
    private readonly List<TimeSpan> waits = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QdrantRestClient Client(Func<QdrantOptions, QdrantOptions>? change = null)
    {
        var options = new QdrantOptions { Url = new Uri("http://qdrant.test:6333"), Collection = "chunks", VectorSize = 4, ApiKey = "secret" };
        return new QdrantRestClient(new HttpClient(server), change?.Invoke(options) ?? options, (t, _) =>
        {
            waits.Add(t);
            return Task.CompletedTask;
        });
    }

    private static string CollectionInfo(int size = 4, string distance = "Cosine", string schema = """{"document_id": {"data_type": "keyword", "points": 0}}""") => $$"""
        {"status": "green", "optimizer_status": "ok", "indexed_vectors_count": 0, "points_count": 7, "segments_count": 2,
         "config": {"params": {"vectors": {"size": {{size}}, "distance": "{{distance}}"}, "shard_number": 1,
                               "replication_factor": 1, "write_consistency_factor": 1, "on_disk_payload": true},
                    "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000}, "quantization_config": null},
         "payload_schema": {{schema}}}
        """;

    private const string Completed = """{"operation_id": 3, "status": "completed"}""";

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\n     got {actual?.ToJsonString()}");

    [Fact]
    public async Task Missing_collection_is_created_with_its_vector_and_keyword_index()
    {
        server.Error(HttpStatusCode.NotFound, "Not found: Collection `chunks` doesn't exist!")
            .Ok("true").Ok(Completed).Ok(CollectionInfo());
        var info = await Client().EnsureCollectionAsync(Ct);

        Assert.Equal(["GET /collections/chunks", "PUT /collections/chunks", "PUT /collections/chunks/index?wait=true", "GET /collections/chunks"],
            server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        AssertJson("""{"vectors": {"size": 4, "distance": "Cosine"}}""", server.Requests[1].Body);
        AssertJson("""{"field_name": "document_id", "field_schema": "keyword"}""", server.Requests[2].Body);
        Assert.All(server.Requests, r => Assert.Equal("secret", r.ApiKey));
        Assert.Equal((4, "Cosine"), info.DenseVectors[""]);
        Assert.Equal(7, info.PointsCount);
        Assert.Equal("keyword", info.PayloadSchema["document_id"]);
    }

    [Fact]
    public async Task Hybrid_collection_has_named_dense_and_idf_sparse_vectors()
    {
        server.Error(HttpStatusCode.NotFound, "Not found: Collection `chunks` doesn't exist!").Ok("true").Ok(Completed)
            .Ok(CollectionInfo().Replace("""{"size": 4, "distance": "Cosine"}""", """{"dense": {"size": 4, "distance": "Cosine"}}""")
                .Replace("\"shard_number\"", "\"sparse_vectors\": {\"bm25\": {\"modifier\": \"idf\"}}, \"shard_number\""));
        var info = await Client(o => o with { DenseVectorName = "dense", SparseVectorName = "bm25" }).EnsureCollectionAsync(Ct);
        AssertJson("""{"vectors": {"dense": {"size": 4, "distance": "Cosine"}}, "sparse_vectors": {"bm25": {"modifier": "idf"}}}""",
            server.Requests[1].Body);
        Assert.Equal(["bm25"], info.SparseVectors);
    }

    [Theory]
    [InlineData(768, "Cosine", "has size 768, but the embedding model makes 4-dimensional vectors")]
    [InlineData(4, "Dot", "uses distance Dot, not Cosine")]
    public async Task Existing_collection_of_another_shape_fails_at_start_up(int size, string distance, string message)
    {
        server.Ok(CollectionInfo(size, distance));
        var e = await Assert.ThrowsAsync<QdrantConfigurationException>(() => Client().EnsureCollectionAsync(Ct));
        Assert.Contains("Qdrant collection 'chunks'", e.Message);
        Assert.Contains(message, e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Existing_collection_without_the_keyword_index_gets_it()
    {
        server.Ok(CollectionInfo(schema: "{}")).Ok(Completed);
        await Client().EnsureCollectionAsync(Ct);
        Assert.Equal("PUT /collections/chunks/index?wait=true", $"{server.Requests[1].Method} {server.Requests[1].PathAndQuery}");
    }

    [Fact]
    public async Task Upserts_go_in_batches_with_uuid_ids_and_payloads()
    {
        for (var i = 0; i < 3; i++) server.Ok(Completed);
        var points = Enumerable.Range(0, 5).Select(i => new QdrantPoint(QdrantPointId.ForChunk($"doc-1#{i}"), new float[] { i, 0.5f, -1, 0 },
            new JsonObject { ["document_id"] = "doc-1", ["chunk_id"] = $"doc-1#{i}" })).ToList();
        await Client(o => o with { UpsertBatchSize = 2 }).UpsertAsync(points, Ct);

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("PUT /collections/chunks/points?wait=true", $"{r.Method} {r.PathAndQuery}"));
        AssertJson("""
            {"points": [
              {"id": "e6445086-dc2e-5ca2-8d77-e5db149294b3", "vector": [0, 0.5, -1, 0], "payload": {"document_id": "doc-1", "chunk_id": "doc-1#0"}},
              {"id": "%ID1%", "vector": [1, 0.5, -1, 0], "payload": {"document_id": "doc-1", "chunk_id": "doc-1#1"}}]}
            """.Replace("%ID1%", QdrantPointId.ForChunk("doc-1#1").ToString()), server.Requests[0].Body);
        Assert.Single(server.Requests[2].Body!["points"]!.AsArray());
    }

    [Fact]
    public async Task Named_and_sparse_vectors_are_sent_per_point()
    {
        server.Ok(Completed);
        var point = new QdrantPoint(QdrantPointId.ForChunk("x"), new float[] { 1, 2, 3, 4 }, new JsonObject { ["document_id"] = "d" },
            new QdrantSparseVector([7, 42], [0.5f, 1.25f]));
        await Client(o => o with { DenseVectorName = "dense", SparseVectorName = "bm25" }).UpsertAsync([point], Ct);
        AssertJson("""
            {"points": [{"id": "cecf5d70-6be5-590b-9f03-db6a284ecf7a",
                         "vector": {"dense": [1, 2, 3, 4], "bm25": {"indices": [7, 42], "values": [0.5, 1.25]}},
                         "payload": {"document_id": "d"}}]}
            """, server.Requests[0].Body);
    }

    [Fact]
    public async Task A_wrong_vector_dimension_is_reported_with_qdrants_message_and_not_retried()
    {
        server.Error(HttpStatusCode.BadRequest, "Wrong input: Vector dimension error: expected dim: 4, got 3");
        var point = new QdrantPoint(Guid.NewGuid(), new float[] { 1, 2, 3 }, new JsonObject());
        var e = await Assert.ThrowsAsync<QdrantException>(() => Client().UpsertAsync([point], Ct));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", e.ServerError);
        Assert.Equal("Qdrant PUT /collections/chunks/points?wait=true: 400 Bad Request: Wrong input: Vector dimension error: expected dim: 4, got 3", e.Message);
        Assert.Single(server.Requests);
        Assert.Empty(waits);
    }

    [Fact]
    public async Task Delete_by_document_sends_a_keyword_filter()
    {
        server.Ok(Completed);
        await Client().DeleteDocumentAsync("doc-9", Ct);
        Assert.Equal("POST /collections/chunks/points/delete?wait=true", $"{server.Requests[0].Method} {server.Requests[0].PathAndQuery}");
        AssertJson("""{"filter": {"must": [{"key": "document_id", "match": {"value": "doc-9"}}]}}""", server.Requests[0].Body);
    }

    [Fact]
    public async Task Search_uses_the_query_api_with_filter_and_reads_scored_points()
    {
        server.Ok("""
            {"points": [
              {"id": "e6445086-dc2e-5ca2-8d77-e5db149294b3", "version": 3, "score": 0.91, "payload": {"document_id": "doc-1", "chunk_id": "doc-1#0"}},
              {"id": 17, "version": 1, "score": 0.5, "payload": null}]}
            """);
        var hits = await Client().SearchAsync(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }, 2,
            QdrantFilter.Match("document_id", "doc-1").AndNotMatch("lang", "de"), Ct);

        Assert.Equal("POST /collections/chunks/points/query", $"{server.Requests[0].Method} {server.Requests[0].PathAndQuery}");
        AssertJson("""
            {"query": [0.1, 0.2, 0.3, 0.4],
             "filter": {"must": [{"key": "document_id", "match": {"value": "doc-1"}}], "must_not": [{"key": "lang", "match": {"value": "de"}}]},
             "limit": 2, "with_payload": true}
            """, server.Requests[0].Body);
        Assert.Equal("e6445086-dc2e-5ca2-8d77-e5db149294b3", hits[0].Id);
        Assert.Equal(0.91, hits[0].Score);
        Assert.Equal("doc-1#0", hits[0].Payload!["chunk_id"]!.GetValue<string>());
        Assert.Equal("17", hits[1].Id);
        Assert.Null(hits[1].Payload);
    }

    [Fact]
    public async Task Servers_without_the_query_api_are_searched_through_points_search()
    {
        // Before 1.10 the route does not exist: a 404 without Qdrant's error body.
        server.Respond(HttpStatusCode.NotFound, "")
            .Ok("""[{"id": "cecf5d70-6be5-590b-9f03-db6a284ecf7a", "version": 0, "score": 0.7, "payload": {"document_id": "d"}}]""")
            .Ok("[]");
        var client = Client();
        var hits = await client.SearchAsync(new float[] { 1, 0, 0, 0 }, 5, QdrantFilter.Match("document_id", "d"), Ct);
        await client.SearchAsync(new float[] { 0, 1, 0, 0 }, 5, null, Ct);

        Assert.Equal(["POST /collections/chunks/points/query", "POST /collections/chunks/points/search", "POST /collections/chunks/points/search"],
            server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        AssertJson("""{"vector": [1, 0, 0, 0], "filter": {"must": [{"key": "document_id", "match": {"value": "d"}}]}, "limit": 5, "with_payload": true}""",
            server.Requests[1].Body);
        Assert.True(client.UsesLegacySearch);
        Assert.Equal(0.7, Assert.Single(hits).Score);
    }

    [Fact]
    public async Task Searching_a_missing_collection_is_an_error_not_a_fallback()
    {
        server.Error(HttpStatusCode.NotFound, "Not found: Collection `chunks` doesn't exist!");
        var e = await Assert.ThrowsAsync<QdrantException>(() => Client().SearchAsync(new float[] { 1, 0, 0, 0 }, 5, null, Ct));
        Assert.Contains("Collection `chunks` doesn't exist", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Hybrid_search_fuses_dense_and_sparse_prefetches_by_rrf()
    {
        server.Ok("""{"points": [{"id": "cecf5d70-6be5-590b-9f03-db6a284ecf7a", "version": 0, "score": 0.5, "payload": {"document_id": "d"}}]}""");
        var hits = await Client(o => o with { DenseVectorName = "dense", SparseVectorName = "bm25" }).HybridSearchAsync(
        [
            new QdrantPrefetch { Dense = new float[] { 1, 0, 0, 0 }, Limit = 20 },
            new QdrantPrefetch { Sparse = new QdrantSparseVector([3], [1.5f]), Limit = 20 },
        ], 5, QdrantFilter.Match("document_id", "d"), Ct);

        AssertJson("""
            {"prefetch": [
               {"query": [1, 0, 0, 0], "using": "dense", "filter": {"must": [{"key": "document_id", "match": {"value": "d"}}]}, "limit": 20},
               {"query": {"indices": [3], "values": [1.5]}, "using": "bm25", "filter": {"must": [{"key": "document_id", "match": {"value": "d"}}]}, "limit": 20}],
             "query": {"fusion": "rrf"},
             "filter": {"must": [{"key": "document_id", "match": {"value": "d"}}]}, "limit": 5, "with_payload": true}
            """, server.Requests[0].Body);
        Assert.Single(hits);
    }

    [Fact]
    public async Task Hybrid_search_on_a_server_without_the_query_api_says_so()
    {
        server.Respond(HttpStatusCode.NotFound, "");
        var e = await Assert.ThrowsAsync<QdrantException>(() => Client().HybridSearchAsync(
            [new QdrantPrefetch { Dense = new float[] { 1, 0, 0, 0 } }], 5, null, Ct));
        Assert.Contains("no Query API", e.Message);
    }

    [Fact]
    public async Task Transient_errors_are_retried_with_exponential_backoff_and_retry_after()
    {
        server.Respond(HttpStatusCode.ServiceUnavailable, "")
            .Respond(HttpStatusCode.TooManyRequests, """{"status": {"error": "Too many requests"}, "time": 0}""",
                r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3)))
            .Respond(HttpStatusCode.BadGateway, "")
            .Ok(Completed);
        await Client().DeleteDocumentAsync("d", Ct);
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(800)], waits);
    }

    [Fact]
    public async Task An_unreachable_server_fails_clearly_after_the_retries()
    {
        server.Refuse().Refuse().Refuse();
        var e = await Assert.ThrowsAsync<QdrantUnavailableException>(() => Client(o => o with { MaxRetries = 2 }).EnsureCollectionAsync(Ct));
        Assert.StartsWith("Qdrant at http://qdrant.test:6333/ is unreachable (GET /collections/chunks, 3 tries): Connection refused", e.Message);
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], waits);
    }

    [Fact]
    public async Task Persistent_503_ends_as_unavailable()
    {
        server.Respond(HttpStatusCode.ServiceUnavailable, "").Respond(HttpStatusCode.ServiceUnavailable, "");
        var e = await Assert.ThrowsAsync<QdrantUnavailableException>(() => Client(o => o with { MaxRetries = 1 }).DeleteDocumentAsync("d", Ct));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_before_any_request()
    {
        Assert.Throws<ArgumentException>(() => Client(o => o with { VectorSize = 0 }));
        Assert.Throws<ArgumentException>(() => Client(o => o with { SparseVectorName = "bm25" }));
        Assert.Throws<ArgumentException>(() => Client(o => o with { Url = new Uri("ftp://x") }));
        Assert.Empty(server.Requests);
    }
}
