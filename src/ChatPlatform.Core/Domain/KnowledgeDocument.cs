namespace ChatPlatform.Core.Domain;

/// <summary>
/// An uploaded knowledge document. Its chunks and index entries live in the retrieval index (ChatPlatform.Rag),
/// keyed by <see cref="IndexDocumentId"/>; the versions here record what was uploaded, when and by whom.
/// </summary>
public sealed class KnowledgeDocument
{
    public long Id { get; set; }
    /// <summary>The document's id in the retrieval index.</summary>
    public required string IndexDocumentId { get; set; }
    public required string Title { get; set; }
    /// <summary>Original file name or relative path ("docs/warranty.md").</summary>
    public required string SourcePath { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public List<DocumentVersion> Versions { get; set; } = [];
}

public sealed class DocumentVersion
{
    public long Id { get; set; }
    public long DocumentId { get; set; }
    /// <summary>1, 2, 3... per document.</summary>
    public int Version { get; set; }
    /// <summary>SHA-256 (hex) of the uploaded bytes; an unchanged re-upload adds no version.</summary>
    public required string ContentHash { get; set; }
    public required string MediaType { get; set; }
    public long SizeBytes { get; set; }
    public int ChunkCount { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public string? UploadedBy { get; set; }
}
