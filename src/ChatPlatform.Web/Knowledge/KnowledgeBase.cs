using ChatPlatform.Rag;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Ingestion;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Qdrant;
using ChatPlatform.Rag.Retrieval;
using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Knowledge;

/// <summary>
/// The data directory's knowledge base as this process uses it: the store (BM25 always), and with an embedding
/// model (Serving:EmbeddingModel, <see cref="ServedEmbeddings"/>) the configured vector index (Rag:VectorStore: embedded, or Qdrant at Rag:Qdrant:Url)
/// bound to that model, so uploads are embedded and searches are hybrid. Built once at start-up: a bad Rag setting,
/// another model's vectors or an unreachable Qdrant stops the app then, not at the first customer question.
/// </summary>
public sealed class KnowledgeBase : IDisposable
{
    private readonly HttpClient? http;
    private readonly IVectorIndex? index;

    public KnowledgeBase(IOptions<PlatformOptions> platform, ServedEmbeddings served, IOptions<RagOptions> rag)
    {
        var options = rag.Value;
        options.Validate();
        var database = KnowledgeDatabase.OpenInDataDirectory(platform.Value.FullDataDirectory);
        if (served.Generator is not { } embeddings)
        {
            if (options.UsesQdrant)
                throw new ArgumentException($"{RagOptions.SectionName}:VectorStore: {RagOptions.QdrantStore} holds dense vectors, so " +
                                            $"{ServingOptions.Section}:EmbeddingModel must name an embedding model folder too");
            Store = new KnowledgeStore(database);
            Ingestor = new KnowledgeIngestor(Store, ApproximateTokenCounter.Instance);
            Retriever = new HybridRetriever(Store);
            return;
        }
        try
        {
            http = new HttpClient();
            index = options.CreateIndex(database, served.Dimensions!.Value, http);
            EmbeddingModelId = EmbeddingBinding.BindAsync(index, embeddings).GetAwaiter().GetResult();
        }
        catch (Exception e) when (options.UsesQdrant && e is QdrantException or HttpRequestException)
        {
            Dispose();
            throw new InvalidOperationException($"{RagOptions.SectionName}:Qdrant:Url ({options.Qdrant.Url}), collection {options.Qdrant.Collection}: {e.Message}", e);
        }
        catch
        {
            Dispose();
            throw;
        }
        Store = new KnowledgeStore(database, index);
        Ingestor = new KnowledgeIngestor(Store, ApproximateTokenCounter.Instance, embedder: embeddings, embeddingModel: EmbeddingModelId);
        Retriever = new HybridRetriever(Store, embeddings);
    }

    public KnowledgeStore Store { get; }
    public KnowledgeIngestor Ingestor { get; }
    public HybridRetriever Retriever { get; }

    /// <summary>The id the vector index is bound to; null without an embedding model.</summary>
    public string? EmbeddingModelId { get; }

    public void Dispose()
    {
        (index as IDisposable)?.Dispose();  // the embedding model is ServedEmbeddings', shared with /v1/embeddings
        http?.Dispose();
    }
}
