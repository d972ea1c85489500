namespace ChatPlatform.Rag.Qdrant;

/// <summary>Where the Qdrant server is, which collection holds the chunks and how it is laid out.</summary>
public sealed record QdrantOptions
{
    /// <summary>The REST endpoint, e.g. http://localhost:6333.</summary>
    public required Uri Url { get; init; }
    /// <summary>Sent as the <c>api-key</c> header when set (Qdrant's service.api_key).</summary>
    public string? ApiKey { get; init; }
    public required string Collection { get; init; }
    /// <summary>The embedding model's dimension; a collection of another size is refused at start-up.</summary>
    public required int VectorSize { get; init; }
    public QdrantDistance Distance { get; init; } = QdrantDistance.Cosine;
    /// <summary>
    /// The dense vector's name in the collection; null for Qdrant's single unnamed vector. Named vectors are needed
    /// beside a sparse vector (hybrid search).
    /// </summary>
    public string? DenseVectorName { get; init; }
    /// <summary>A sparse vector (e.g. BM25 term weights) stored with each point, with IDF computed by Qdrant; null: none.</summary>
    public string? SparseVectorName { get; init; }
    /// <summary>Keyword payload fields indexed when the collection is created (filters and deletes use them).</summary>
    public IReadOnlyList<string> KeywordIndexes { get; init; } = [QdrantPayload.DocumentId];
    /// <summary>Points per upsert request.</summary>
    public int UpsertBatchSize { get; init; } = 256;
    /// <summary>Tries after the first for transient failures (HTTP 429/502/503/504, connection errors).</summary>
    public int MaxRetries { get; init; } = 4;
    /// <summary>Wait before the first retry; doubled for each next one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the values before any request is made.</summary>
    public void Validate()
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Qdrant url '{Url}' must be an absolute http(s) URL");
        if (string.IsNullOrWhiteSpace(Collection) || Collection.Contains('/'))
            throw new ArgumentException($"Qdrant collection name '{Collection}' must be non-empty and contain no '/'");
        if (VectorSize <= 0) throw new ArgumentException($"Qdrant vector size must be positive, not {VectorSize}");
        if (SparseVectorName is not null && DenseVectorName is null)
            throw new ArgumentException("a sparse vector needs a named dense vector (set DenseVectorName, e.g. \"dense\")");
        if (UpsertBatchSize <= 0) throw new ArgumentException($"Qdrant upsert batch size must be positive, not {UpsertBatchSize}");
        if (MaxRetries < 0) throw new ArgumentException($"Qdrant max retries must not be negative, not {MaxRetries}");
    }
}

/// <summary>Qdrant's distance functions (the JSON names).</summary>
public enum QdrantDistance
{
    Cosine,
    Dot,
    Euclid,
    Manhattan,
}

/// <summary>Payload field names the platform writes.</summary>
public static class QdrantPayload
{
    public const string DocumentId = "document_id";
    public const string ChunkId = "chunk_id";
    /// <summary>Which write of the document a point belongs to (see QdrantVectorIndex: how replaces stay atomic).</summary>
    public const string Generation = "generation";
}
