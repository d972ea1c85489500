using System.Text.Json.Nodes;
using ChatPlatform.Rag.Indexing;
using Microsoft.Data.Sqlite;

namespace ChatPlatform.Rag.Qdrant;

/// <summary>
/// The vector index in a Qdrant collection (one point per chunk, payload <c>document_id</c>, <c>chunk_id</c>,
/// <c>chunk_rowid</c> and <c>generation</c>), for corpora beyond what exact in-memory search serves well. The knowledge
/// database stays the source of truth: BM25 still runs on its FTS5 index, and hybrid retrieval fuses Qdrant's dense
/// ranking with it by the same reciprocal rank fusion as the embedded index (<see cref="Retrieval.HybridRetriever"/>).
/// </summary>
/// <remarks>
/// How a replace stays atomic with a server outside the SQLite transaction: every write of a document gets a fresh
/// generation, and a point's id is derived from chunk id and generation, so the new version's points never overwrite
/// the old version's. The new points are written before the SQLite commit; if anything fails before the commit, the
/// rollback deletes exactly that generation and the old version is untouched. After the commit, the document's points of
/// every other generation are deleted. Until then (or if that clean-up fails) a search can see both generations: hits
/// on chunks that are no longer committed are dropped by the retriever, and a chunk present in both generations is
/// returned once. The next write of the document removes any leftover generation.
/// </remarks>
public sealed class QdrantVectorIndex(QdrantRestClient client, KnowledgeDatabase database) : IVectorIndex
{
    /// <summary>Keyword indexes the collection needs: deletes and filters by document and generation, vector reads by chunk.</summary>
    public static readonly IReadOnlyList<string> KeywordIndexes = [QdrantPayload.DocumentId, QdrantPayload.ChunkId, QdrantPayload.Generation];

    private const string RowIdField = "chunk_rowid";

    public string Name => "qdrant";

    public QdrantRestClient Client => client;

    /// <summary>GET the collection: unreachable, missing or red is unhealthy; green or yellow (optimizing) answers searches.</summary>
    public async Task<VectorIndexHealth> CheckHealthAsync(CancellationToken ct = default)
    {
        var where = $"Qdrant at {client.Options.Url}, collection {client.Options.Collection}";
        try
        {
            var info = await client.GetCollectionAsync(ct);
            if (info is null) return new VectorIndexHealth(false, $"{where}: the collection does not exist");
            var healthy = !string.Equals(info.Status, "red", StringComparison.OrdinalIgnoreCase);
            return new VectorIndexHealth(healthy, $"{where}: status {info.Status}, {info.PointsCount?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} points");
        }
        catch (Exception e) when (e is QdrantException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new VectorIndexHealth(false, $"{where}: {e.Message}");
        }
    }

    public async Task InitializeAsync(int dimension, string embeddingModel, CancellationToken ct = default)
    {
        var options = client.Options;
        if (dimension != options.VectorSize)
            throw new InvalidOperationException(
                $"the embedding model '{embeddingModel}' gives {dimension}-dimensional vectors, but the Qdrant options say {options.VectorSize}");
        try
        {
            var info = await client.EnsureCollectionAsync(ct).ConfigureAwait(false);
            foreach (var field in KeywordIndexes.Where(f => !info.PayloadSchema.ContainsKey(f) && !options.KeywordIndexes.Contains(f)))
                await client.CreateKeywordIndexAsync(field, ct).ConfigureAwait(false);
        }
        catch (QdrantConfigurationException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        // Qdrant does not record which model made a collection's vectors; the knowledge database does, per collection.
        var key = $"qdrant_embedding_model:{options.Url}:{options.Collection}";
        using var connection = database.Connect();
        var stored = Meta(connection, key);
        if (stored is not null && stored != embeddingModel)
            throw new InvalidOperationException(
                $"Qdrant collection '{options.Collection}' was filled with '{stored}', not '{embeddingModel}'; vectors of different models are " +
                "not comparable: use another collection (and add the documents again)");
        using var write = connection.CreateCommand();
        write.CommandText = "insert or replace into index_meta(key, value) values ($k, $m)";
        write.Parameters.AddWithValue("$k", key);
        write.Parameters.AddWithValue("$m", embeddingModel);
        write.ExecuteNonQuery();
    }

    public async Task UpsertDocumentAsync(KnowledgeTransaction transaction, string documentId, IReadOnlyList<ChunkVector> vectors,
                                          CancellationToken ct = default)
    {
        var width = client.Options.VectorSize;
        if (vectors.FirstOrDefault(v => v.Vector.Length != width) is { } wrong)
            throw new ArgumentException($"document {documentId}: a {wrong.Vector.Length}-dimensional embedding in a {width}-dimensional Qdrant collection");
        var generation = Guid.NewGuid().ToString("N");
        var points = vectors.Select(v => new QdrantPoint(PointId(v.ChunkId, generation), VectorMath.Normalized(v.Vector.Span), new JsonObject
        {
            [QdrantPayload.DocumentId] = documentId,
            [QdrantPayload.ChunkId] = v.ChunkId,
            [RowIdField] = v.ChunkRowId,
            [QdrantPayload.Generation] = generation,
        })).ToList();
        // Registered before the first request: a batch that fails half-way leaves earlier batches to undo.
        transaction.OnRolledBack(() => Undo(documentId, generation));
        await client.UpsertAsync(points, ct).ConfigureAwait(false);
        transaction.OnCommitted(() => RemoveOtherGenerations(documentId, generation));
    }

    public async Task DeleteDocumentAsync(KnowledgeTransaction transaction, string documentId, CancellationToken ct = default)
    {
        // Before the commit: a failure here rolls the whole delete back, so the document never outlives its vectors
        // silently. (Should the SQLite commit itself fail afterwards, the document stays, searchable by BM25 only,
        // until it is added again.)
        await client.DeleteDocumentAsync(documentId, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, int topK, IReadOnlySet<string>? documentIds = null,
                                                            CancellationToken ct = default)
    {
        if (topK <= 0 || documentIds is { Count: 0 }) return [];
        if (query.Length != client.Options.VectorSize)
            throw new ArgumentException($"a {query.Length}-dimensional query against {client.Options.VectorSize}-dimensional vectors");
        var filter = documentIds is null ? null : new QdrantFilter().AndMatchAny(QdrantPayload.DocumentId, documentIds);
        // A few extra candidates: during a replace a chunk can be present in two generations and is counted once.
        var points = await client.SearchAsync(VectorMath.Normalized(query.Span), topK + 8, filter, ct).ConfigureAwait(false);
        var hits = new List<VectorHit>(topK);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            var chunkId = ChunkIdOf(point.Id, point.Payload);
            if (seen.Add(chunkId)) hits.Add(new VectorHit(chunkId, (float)point.Score));
            if (hits.Count == topK) break;
        }
        return hits;
    }

    public async Task<IReadOnlyDictionary<string, float[]>> GetVectorsAsync(IReadOnlyCollection<string> chunkIds, CancellationToken ct = default)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (chunkIds.Count == 0) return result;
        var points = await client.ScrollAsync(new QdrantFilter().AndMatchAny(QdrantPayload.ChunkId, chunkIds), withVector: true,
                                              cancellationToken: ct).ConfigureAwait(false);
        foreach (var point in points) result[ChunkIdOf(point.Id, point.Payload)] = VectorMath.Normalized(point.Vector!);
        return result;
    }

    /// <summary>The point of one chunk in one generation of its document.</summary>
    public static Guid PointId(string chunkId, string generation) => QdrantPointId.ForChunk(chunkId + "\n" + generation);

    private void Undo(string documentId, string generation)
    {
        try
        {
            client.DeleteAsync(QdrantFilter.Match(QdrantPayload.DocumentId, documentId).AndMatch(QdrantPayload.Generation, generation))
                  .GetAwaiter().GetResult();
        }
        catch (QdrantException)
        {
            // Best effort while the original failure propagates: the leftover points belong to chunks that were never
            // committed, so searches drop them, and the document's next write deletes them (RemoveOtherGenerations).
        }
    }

    private void RemoveOtherGenerations(string documentId, string generation)
    {
        try
        {
            client.DeleteAsync(QdrantFilter.Match(QdrantPayload.DocumentId, documentId).AndNotMatch(QdrantPayload.Generation, generation))
                  .GetAwaiter().GetResult();
        }
        catch (QdrantException e)
        {
            throw new QdrantException(
                $"document {documentId} was replaced, but Qdrant kept its previous vectors ({e.Message}); searches ignore them and " +
                "the document's next update removes them", e.StatusCode, e.ServerError, e);
        }
    }

    private static string ChunkIdOf(string pointId, JsonObject? payload) =>
        payload?[QdrantPayload.ChunkId] is JsonValue v && v.TryGetValue<string>(out var id)
            ? id
            : throw new QdrantException($"Qdrant point {pointId} has no {QdrantPayload.ChunkId} in its payload: the collection holds " +
                                        "points ChatPlatform did not write; use another collection");

    private static string? Meta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "select value from index_meta where key = $k";
        command.Parameters.AddWithValue("$k", key);
        return command.ExecuteScalar() as string;
    }
}
