using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using ChatPlatform.Rag.Retrieval;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>The web app's knowledge base follows the Rag section and the embedding model, and refuses bad settings at start-up.</summary>
public sealed class KnowledgeWiringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_an_embedding_model_uploads_are_embedded_and_searches_are_hybrid()
    {
        await using var app = new AdminApp(new() { ["Serving:EmbeddingModel"] = ServingApp.TinyBert });
        var folder = Directory.CreateTempSubdirectory("chatplatform-wiring-").FullName;
        var file = Path.Combine(folder, "warranty.md");
        await File.WriteAllTextAsync(file, "# Warranty\n\nEvery Zephyr router has a three-year warranty.\n", Ct);

        var result = await app.Services.GetRequiredService<KnowledgeIngestor>().AddFileAsync(file, ct: Ct);
        var store = app.Services.GetRequiredService<KnowledgeStore>();
        var retrieved = await app.Services.GetRequiredService<HybridRetriever>().RetrieveAsync(new RetrievalQuery("router warranty"), Ct);

        Assert.True(result.Chunks > 0, result.ToString());
        var vectors = Assert.IsType<EmbeddedVectorIndex>(store.Vectors);
        Assert.Equal(result.Chunks, vectors.Count);
        Assert.True(retrieved.DenseUsed);
        Assert.NotNull(Assert.Single(retrieved.Chunks).DenseScore);
        var dashboard = await app.Services.GetRequiredService<ChatPlatform.Web.Admin.PlatformStatus>().ReadAsync(Ct);
        Assert.StartsWith($"embedded, healthy: {result.Chunks} vectors", dashboard.VectorStore);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Without_an_embedding_model_retrieval_is_bm25_only()
    {
        await using var app = new AdminApp();
        var retriever = app.Services.GetRequiredService<HybridRetriever>();
        Assert.False(retriever.DenseAvailable);
        Assert.Null(app.Services.GetRequiredService<KnowledgeStore>().Vectors);
    }

    [Theory]
    [InlineData(true, "Rag:Qdrant")]               // configured, but nothing listens there
    [InlineData(false, "Serving:EmbeddingModel")]  // Qdrant holds dense vectors: an embedding model is needed
    public async Task A_qdrant_store_that_cannot_work_stops_start_up_naming_the_setting(bool embeddingModel, string named)
    {
        var settings = new Dictionary<string, string?> { ["Rag:VectorStore"] = "qdrant", ["Rag:Qdrant:Url"] = "http://127.0.0.1:9" };
        if (embeddingModel) settings["Serving:EmbeddingModel"] = ServingApp.TinyBert;
        await using var app = new AdminApp(settings);

        var error = Record.Exception(() => app.Services);

        Assert.NotNull(error);
        Assert.Contains(named, Flatten(error), StringComparison.OrdinalIgnoreCase);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : $"{e.Message} | {Flatten(e.InnerException)}";
}
