using System.CommandLine;
using ChatPlatform.Llm.Embeddings;
using ChatPlatform.Rag;
using ChatPlatform.Rag.Indexing;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Cli;

/// <summary>
/// Options of the commands that read or write the knowledge base (knowledge add, ask, rag eval), declared once: the data
/// directory, the embedding model that gives dense vectors, and the vector store that holds them.
/// </summary>
internal sealed class KnowledgeOptions
{
    /// <summary>Environment variables the Qdrant API key is read from (never from a flag, which would land in shell history).</summary>
    public static readonly string[] ApiKeyVariables = ["QDRANT__APIKEY", "CHATPLATFORM_QDRANT_API_KEY"];

    public Option<string> DataDir { get; } = DataDirectoryOption.Create();

    public Option<string?> EmbeddingModel { get; } = new("--embedding-model")
    {
        Description = "A local sentence-transformers (or BERT) model folder for dense retrieval; without it, retrieval is BM25 only.",
    };

    public Option<string> EmbeddingDevice { get; } = new("--embedding-device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };

    public Option<string> VectorStore { get; } = new("--vector-store")
    {
        Description = "Where the dense vectors live: embedded (in knowledge.db) or qdrant.",
        DefaultValueFactory = _ => RagOptions.EmbeddedStore,
    };

    public Option<string?> QdrantUrl { get; } = new("--qdrant-url")
    {
        Description = "Qdrant's REST endpoint, e.g. http://localhost:6333 (API key from QDRANT__APIKEY or CHATPLATFORM_QDRANT_API_KEY).",
    };

    public Option<string> QdrantCollection { get; } = new("--qdrant-collection")
    {
        Description = "The Qdrant collection of the chunks.",
        DefaultValueFactory = _ => new RagQdrantOptions().Collection,
    };

    public KnowledgeOptions()
    {
        VectorStore.AcceptOnlyFromAmong(RagOptions.EmbeddedStore, RagOptions.QdrantStore);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { DataDir, EmbeddingModel, EmbeddingDevice, VectorStore, QdrantUrl, QdrantCollection })
            command.Options.Add(option);
    }

    public RagOptions Rag(ParseResult pr) => new()
    {
        VectorStore = pr.GetValue(VectorStore)!,
        Qdrant = new RagQdrantOptions
        {
            Url = pr.GetValue(QdrantUrl),
            Collection = pr.GetValue(QdrantCollection)!,
            ApiKey = ApiKeyVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v)),
        },
    };

    /// <summary>
    /// The knowledge store, with (given --embedding-model) the embedding generator and the configured vector index bound to
    /// it: a dimension or model mismatch, a bad Qdrant setting or an unreachable server fails here, before any work.
    /// </summary>
    public async Task<KnowledgeSession> OpenAsync(ParseResult pr, CancellationToken ct)
    {
        var rag = Rag(pr);
        if (rag.UsesQdrant && rag.Qdrant.Url is null) throw new ArgumentException("--vector-store qdrant needs --qdrant-url URL");
        rag.Validate();
        var database = KnowledgeDatabase.OpenInDataDirectory(pr.GetValue(DataDir)!);
        if (pr.GetValue(EmbeddingModel) is not { } folder)
        {
            if (rag.UsesQdrant)
                throw new ArgumentException("--vector-store qdrant holds dense vectors: give --embedding-model DIR too");
            return new KnowledgeSession(new KnowledgeStore(database), null, null, null, null);
        }
        LocalEmbeddingGenerator? generator = null;
        HttpClient? http = null;
        IVectorIndex? index = null;
        try
        {
            generator = LocalEmbeddingGenerator.Load(folder, new LocalEmbeddingOptions { Device = Torch.Device.Parse(pr.GetValue(EmbeddingDevice)!) });
            http = new HttpClient();
            index = rag.CreateIndex(database, generator.Dimension, http);
            var model = await EmbeddingBinding.BindAsync(index, generator, ct);
            return new KnowledgeSession(new KnowledgeStore(database, index), generator, model, index, http);
        }
        catch
        {
            (index as IDisposable)?.Dispose();
            generator?.Dispose();
            http?.Dispose();
            throw;
        }
    }
}

/// <summary>What <see cref="KnowledgeOptions.OpenAsync"/> opened; disposing releases the model, the index and the HTTP client.</summary>
internal sealed class KnowledgeSession(KnowledgeStore store, IEmbeddingGenerator<string, Embedding<float>>? embedder, string? embeddingModelId,
                                       IVectorIndex? index, HttpClient? http) : IDisposable
{
    public KnowledgeStore Store => store;
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder => embedder;
    /// <summary>The model id the vector index is bound to; null without an embedding model.</summary>
    public string? EmbeddingModelId => embeddingModelId;

    /// <summary>"BM25 only", or the dense model and store, for the commands' summaries.</summary>
    public string Describe() => embedder is null ? "BM25 only (no --embedding-model)" : $"BM25 + dense ({embeddingModelId}, {index!.Name} vectors)";

    public void Dispose()
    {
        (index as IDisposable)?.Dispose();
        embedder?.Dispose();
        http?.Dispose();
    }
}
