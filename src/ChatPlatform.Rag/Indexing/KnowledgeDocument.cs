using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Rag.Indexing;

/// <summary>A document in the knowledge base. <see cref="ContentHash"/> covers the file's bytes and the chunking and
/// embedding settings, so re-adding the same file with the same settings is recognised as unchanged.</summary>
public sealed record KnowledgeDocument(string Id, string Title, string Path, DocumentKind Kind, IReadOnlyList<string> Tags,
                                       string ContentHash, int ChunkCount, int TokenCount, DateTime UpdatedUtc);

/// <summary>A stored chunk with its document's citation fields.</summary>
public sealed record StoredChunk(string Id, long RowId, string DocumentId, int Position, IReadOnlyList<string> HeadingPath,
                                 string Text, string Title, string Path, DocumentKind Kind);

/// <summary>A BM25 hit: higher <see cref="Score"/> is better (FTS5's bm25() negated).</summary>
public readonly record struct Bm25Hit(string ChunkId, double Score);

/// <summary>
/// Which documents a search may return; null members do not restrict. Kinds and tags select documents, and all
/// given criteria must hold.
/// </summary>
public sealed record RetrievalFilter
{
    public IReadOnlyCollection<string>? DocumentIds { get; init; }
    public IReadOnlyCollection<DocumentKind>? Kinds { get; init; }
    /// <summary>A document matches when it has any of these tags.</summary>
    public IReadOnlyCollection<string>? Tags { get; init; }

    public bool IsEmpty => DocumentIds is null && Kinds is null && Tags is null;
}
