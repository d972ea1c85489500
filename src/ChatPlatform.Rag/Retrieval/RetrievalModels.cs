using ChatPlatform.Rag.Indexing;

namespace ChatPlatform.Rag.Retrieval;

public enum RetrievalMode
{
    /// <summary>BM25 and dense rankings fused by reciprocal rank (BM25 alone without an embedding generator).</summary>
    Hybrid,
    Bm25,
    Dense,
}

/// <summary>A search over the knowledge base.</summary>
public sealed record RetrievalQuery(string Text)
{
    public int TopK { get; init; } = 5;
    public RetrievalMode Mode { get; init; } = RetrievalMode.Hybrid;
    public RetrievalFilter? Filter { get; init; }

    /// <summary>How many hits each method contributes to fusion (more = better recall, slower).</summary>
    public int CandidatesPerMethod { get; init; } = 50;

    /// <summary>Re-rank the fused candidates with maximal marginal relevance so near-duplicate passages do not crowd the top k.</summary>
    public bool Diversify { get; init; }

    /// <summary>MMR trade-off: 1 = relevance only, 0 = diversity only.</summary>
    public double MmrLambda { get; init; } = 0.7;
}

/// <summary>Where a passage comes from, as shown to users and returned with answers.</summary>
/// <param name="HeadingPath">"Setup > Network", empty for text before the first heading.</param>
/// <param name="Snippet">A short excerpt; BM25 matches are marked with [ ].</param>
public sealed record Citation(int Number, string DocumentId, string Title, string Path, string HeadingPath, string Snippet, string ChunkId);

/// <summary>
/// One retrieved passage with its scores: BM25 (FTS5's bm25 negated, higher is better), dense (cosine similarity) and
/// hybrid (reciprocal rank fusion, or the single method's score when only one ran). Ranks are 1-based; null when the
/// method did not return the chunk among its candidates.
/// </summary>
public sealed record RetrievedChunk(StoredChunk Chunk, Citation Citation, double? Bm25Score, int? Bm25Rank, double? DenseScore,
                                    int? DenseRank, double HybridScore);

/// <summary>Passages best first. <see cref="DenseUsed"/> is false when no embedding generator was available; <see cref="Note"/> says so.</summary>
public sealed record RetrievalResult(IReadOnlyList<RetrievedChunk> Chunks, bool DenseUsed, string? Note = null);

/// <summary>Anything that finds passages for a question (the hybrid retriever, or a test double).</summary>
public interface IKnowledgeRetriever
{
    Task<RetrievalResult> RetrieveAsync(RetrievalQuery query, CancellationToken ct = default);
}
