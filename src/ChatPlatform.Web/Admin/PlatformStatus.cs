using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Torch;
using ChatPlatform.Web.Serving;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>What the dashboard shows, gathered in one pass.</summary>
public sealed record PlatformStatusReport(
    string ActiveModel,
    string Device,
    bool ApiServing,
    int KnowledgeDocuments,
    int KnowledgeChunks,
    string VectorStore,
    ReviewStatistics Examples,
    DatasetSnapshot? LastSnapshot,
    TrainingRunRecord? LastRun,
    string Blas,
    string? BlasWarning);

/// <summary>Reads the platform's state for the dashboard: model, knowledge base, dataset, engine.</summary>
public sealed class PlatformStatus(IServiceProvider services, IDbContextFactory<PlatformDbContext> contexts, ReviewService review,
    KnowledgeStore knowledge, IOptions<ServingOptions> serving)
{
    // The BLAS libtorch links does not change while the process runs; reading the memory map once is enough.
    private static readonly Lazy<BlasInfo> Blas = new(BlasInfo.Detect);

    public async Task<PlatformStatusReport> ReadAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var active = await db.ModelVersions.AsNoTracking().Where(m => m.IsActive).OrderByDescending(m => m.ActivatedAt).FirstOrDefaultAsync(ct);
        var lastSnapshot = await db.Snapshots.AsNoTracking().OrderByDescending(s => s.Version).FirstOrDefaultAsync(ct);
        var lastRun = await db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        var served = services.GetService<ServedModel>()?.Status;
        var activeModel = served?.Serving is { } loaded
            ? $"{loaded}{(loaded.VersionId is null ? " (Serving:Model)" : "")}"
            : active is not null ? $"{active.Name} (activated, not loaded: {served?.State.ToString().ToLowerInvariant() ?? "not served"})"
            : "none: chat answers with retrieved passages; see the Models page to configure a model";
        var documents = knowledge.ListDocuments();
        var vectorStore = knowledge.Vectors is { } v
            ? await v.CheckHealthAsync(ct) is var health && health.Healthy ? $"{v.Name}, healthy: {health.Detail}" : $"{v.Name}, NOT healthy: {health.Detail}"
            : $"embedded SQLite FTS5 index at {knowledge.Database.Path}; no embedding model, so retrieval is BM25 only";
        var blas = Blas.Value;
        return new PlatformStatusReport(activeModel, serving.Value.Device ?? "cpu", served?.Serving is not null, documents.Count,
            knowledge.CountChunks(), vectorStore, await review.StatisticsAsync(ct), lastSnapshot, lastRun,
            blas.LibraryPath is null ? blas.Kind : $"{blas.Kind} ({blas.LibraryPath})", blas.Warning);
    }
}
