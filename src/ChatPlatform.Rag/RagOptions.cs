using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Qdrant;

namespace ChatPlatform.Rag;

/// <summary>
/// The "Rag" configuration section: which vector store holds the chunk embeddings. <c>embedded</c> (the default) keeps
/// them in the knowledge database; <c>qdrant</c> keeps them in a Qdrant collection (<see cref="RagQdrantOptions"/>).
/// BM25 always runs on the knowledge database's FTS5 index. Validated at start-up by <see cref="Validate"/>.
/// </summary>
public sealed record RagOptions
{
    public const string SectionName = "Rag";
    public const string EmbeddedStore = "embedded";
    public const string QdrantStore = "qdrant";

    /// <summary><c>embedded</c> or <c>qdrant</c>.</summary>
    public string VectorStore { get; init; } = EmbeddedStore;

    public RagQdrantOptions Qdrant { get; init; } = new();

    public bool UsesQdrant => string.Equals(VectorStore, QdrantStore, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting (Rag:VectorStore, Rag:Qdrant:Url, ...) that is wrong.</summary>
    public void Validate()
    {
        if (!string.Equals(VectorStore, EmbeddedStore, StringComparison.OrdinalIgnoreCase) && !UsesQdrant)
            throw new ArgumentException($"{SectionName}:VectorStore: '{VectorStore}' is not one of {EmbeddedStore}, {QdrantStore}");
        if (!UsesQdrant) return;
        if (string.IsNullOrWhiteSpace(Qdrant.Url))
            throw new ArgumentException($"{SectionName}:Qdrant:Url: required when {SectionName}:VectorStore is {QdrantStore} (e.g. http://localhost:6333)");
        if (!Uri.TryCreate(Qdrant.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new ArgumentException($"{SectionName}:Qdrant:Url: '{Qdrant.Url}' is not an absolute http(s) URL");
        if (string.IsNullOrWhiteSpace(Qdrant.Collection) || Qdrant.Collection.Contains('/'))
            throw new ArgumentException($"{SectionName}:Qdrant:Collection: '{Qdrant.Collection}' must be non-empty and contain no '/'");
    }

    /// <summary>
    /// The configured vector index for an embedding model of <paramref name="dimension"/> (not yet initialised: call
    /// <see cref="EmbeddingBinding.BindAsync"/>). <paramref name="http"/> is used for Qdrant requests.
    /// </summary>
    public IVectorIndex CreateIndex(KnowledgeDatabase database, int dimension, HttpClient http)
    {
        Validate();
        if (!UsesQdrant) return new EmbeddedVectorIndex(database);
        var client = new QdrantRestClient(http, new QdrantOptions
        {
            Url = new Uri(Qdrant.Url!),
            ApiKey = string.IsNullOrEmpty(Qdrant.ApiKey) ? null : Qdrant.ApiKey,
            Collection = Qdrant.Collection,
            VectorSize = dimension,
            KeywordIndexes = QdrantVectorIndex.KeywordIndexes,
        });
        return new QdrantVectorIndex(client, database);
    }
}

/// <summary>The "Rag:Qdrant" section.</summary>
public sealed record RagQdrantOptions
{
    /// <summary>The REST endpoint, e.g. http://localhost:6333.</summary>
    public string? Url { get; init; }

    /// <summary>Qdrant's service.api_key, when the server has one. Keep it out of files: QDRANT__APIKEY or CHATPLATFORM_QDRANT_API_KEY.</summary>
    public string? ApiKey { get; init; }

    public string Collection { get; init; } = "chatplatform";
}
