namespace ChatPlatform.Rag.Indexing;

/// <summary>A chunk's embedding, as written to a vector index.</summary>
public sealed record ChunkVector(string ChunkId, long ChunkRowId, ReadOnlyMemory<float> Vector);

/// <summary>Whether a vector index answers, and what it holds or what went wrong, for the dashboard and /readyz.</summary>
public sealed record VectorIndexHealth(bool Healthy, string Detail);

/// <summary>A dense search hit: cosine similarity of the (normalised) query and chunk vectors, higher is closer.</summary>
public readonly record struct VectorHit(string ChunkId, float Score);

/// <summary>
/// A store of chunk embeddings searched by similarity: the embedded one (<see cref="EmbeddedVectorIndex"/>, vectors in
/// the knowledge database, exact search in memory) or a server such as Qdrant.
///
/// Contract, which the knowledge store relies on:
/// <list type="bullet">
/// <item>The SQLite database is the source of truth for which chunks exist. <see cref="UpsertDocumentAsync"/> and
/// <see cref="DeleteDocumentAsync"/> are called inside the <see cref="KnowledgeTransaction"/> that changes the
/// document's rows. A store inside the same SQLite file writes through <see cref="KnowledgeTransaction.Transaction"/>
/// (one atomic commit); an external store writes before the commit and registers
/// <see cref="KnowledgeTransaction.OnRolledBack"/> to remove what it wrote. Readers join hits against the committed
/// chunks table, so vectors of a not-yet-committed or rolled-back document are never returned.</item>
/// <item>Upsert replaces every vector of the document (vectors of chunks no longer present are removed).</item>
/// <item>Vectors may arrive unnormalised; the index normalises them, and scores are cosine similarities.</item>
/// <item><see cref="SearchAsync"/> may return ids of chunks deleted a moment ago; callers drop unknown ids.</item>
/// <item>Implementations are safe for concurrent searches alongside one writer.</item>
/// </list>
/// </summary>
public interface IVectorIndex
{
    /// <summary>A short name for logs and reports ("embedded", "qdrant").</summary>
    string Name { get; }

    /// <summary>Asks the store itself (a server: over the network) whether it answers, and how many vectors it holds.</summary>
    Task<VectorIndexHealth> CheckHealthAsync(CancellationToken ct = default);

    /// <summary>
    /// Start-up check: binds the index to an embedding model and its dimension. An index that already holds vectors
    /// of another dimension or model throws <see cref="InvalidOperationException"/> saying how to rebuild, instead
    /// of silently returning meaningless neighbours.
    /// </summary>
    Task InitializeAsync(int dimension, string embeddingModel, CancellationToken ct = default);

    /// <summary>Replaces all vectors of <paramref name="documentId"/> with <paramref name="vectors"/> as part of <paramref name="transaction"/>.</summary>
    Task UpsertDocumentAsync(KnowledgeTransaction transaction, string documentId, IReadOnlyList<ChunkVector> vectors, CancellationToken ct = default);

    /// <summary>Removes every vector of the document as part of <paramref name="transaction"/>.</summary>
    Task DeleteDocumentAsync(KnowledgeTransaction transaction, string documentId, CancellationToken ct = default);

    /// <summary>The <paramref name="topK"/> nearest chunks, best first; only chunks of <paramref name="documentIds"/> when given.</summary>
    Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, int topK, IReadOnlySet<string>? documentIds = null,
                                              CancellationToken ct = default);

    /// <summary>The stored (normalised) vectors of the given chunks, for diversity re-ranking; missing ids are absent.</summary>
    Task<IReadOnlyDictionary<string, float[]>> GetVectorsAsync(IReadOnlyCollection<string> chunkIds, CancellationToken ct = default);
}
