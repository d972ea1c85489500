using System.Text.Json.Nodes;
using ChatPlatform.Rag.Qdrant;

namespace ChatPlatform.Rag.Tests.Qdrant;

/// <summary>
/// The client against a real Qdrant, when QDRANT_URL is set (e.g. http://localhost:6333 after `docker compose up -d qdrant`;
/// QDRANT_API_KEY too if the server has one). Skipped otherwise.
/// </summary>
public sealed class QdrantLiveServerTests
{
    [Fact]
    public async Task Create_upsert_search_delete_round_trip()
    {
        var url = Environment.GetEnvironmentVariable("QDRANT_URL");
        Assert.SkipWhen(string.IsNullOrEmpty(url), "QDRANT_URL is not set: no Qdrant server to test against");
        var ct = TestContext.Current.CancellationToken;
        var collection = "chatplatform-test-" + Guid.NewGuid().ToString("N")[..8];
        using var http = new HttpClient();
        var client = new QdrantRestClient(http, new QdrantOptions
        {
            Url = new Uri(url!), ApiKey = Environment.GetEnvironmentVariable("QDRANT_API_KEY"), Collection = collection, VectorSize = 3,
        });
        try
        {
            await client.EnsureCollectionAsync(ct);
            await client.EnsureCollectionAsync(ct);   // idempotent against an existing collection
            await client.UpsertAsync(
            [
                new QdrantPoint(QdrantPointId.ForChunk("a#0"), new float[] { 1, 0, 0 }, new JsonObject { ["document_id"] = "a", ["chunk_id"] = "a#0" }),
                new QdrantPoint(QdrantPointId.ForChunk("a#1"), new float[] { 0, 1, 0 }, new JsonObject { ["document_id"] = "a", ["chunk_id"] = "a#1" }),
                new QdrantPoint(QdrantPointId.ForChunk("b#0"), new float[] { 0.9f, 0.1f, 0 }, new JsonObject { ["document_id"] = "b", ["chunk_id"] = "b#0" }),
            ], ct);
            var hits = await client.SearchAsync(new float[] { 1, 0, 0 }, 2, null, ct);
            Assert.Equal(["a#0", "b#0"], hits.Select(h => h.Payload!["chunk_id"]!.GetValue<string>()));
            var filtered = await client.SearchAsync(new float[] { 1, 0, 0 }, 5, QdrantFilter.Match("document_id", "b"), ct);
            Assert.Equal(QdrantPointId.ForChunk("b#0").ToString(), Assert.Single(filtered).Id);
            var fused = await client.HybridSearchAsync(
                [new QdrantPrefetch { Dense = new float[] { 1, 0, 0 } }, new QdrantPrefetch { Dense = new float[] { 0, 1, 0 } }], 3, null, ct);
            Assert.Equal(3, fused.Count);

            await client.DeleteDocumentAsync("a", ct);
            var left = await client.SearchAsync(new float[] { 0, 1, 0 }, 5, null, ct);
            Assert.Equal(["b#0"], left.Select(h => h.Payload!["chunk_id"]!.GetValue<string>()));

            var wrongSize = new QdrantRestClient(http, client.Options with { VectorSize = 4 });
            await Assert.ThrowsAsync<QdrantConfigurationException>(() => wrongSize.EnsureCollectionAsync(ct));
        }
        finally
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(new Uri(url!), "collections/" + collection));
            if (Environment.GetEnvironmentVariable("QDRANT_API_KEY") is { } key) request.Headers.Add("api-key", key);
            using var _ = await http.SendAsync(request, CancellationToken.None);
        }
    }
}
