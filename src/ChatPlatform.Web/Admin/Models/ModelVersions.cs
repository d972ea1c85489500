using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Serving;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin.Models;

/// <summary>
/// The registered model versions and which one is active. Activating one (or rolling back to an older one) loads it
/// and swaps it in while the app runs (<see cref="ServedModel.SwapAsync"/>: answers already running finish on the old
/// version), then marks it the only active version, audited. A version that fails to load is not marked: the old one
/// keeps serving and stays the active one, and the error propagates (and shows in the served model's status).
/// </summary>
public sealed class ModelVersions(IDbContextFactory<PlatformDbContext> contexts, ServedModel served) : IModelVersionCatalog
{
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).ToListAsync(ct);
    }

    async Task<IReadOnlyList<CatalogedModel>> IModelVersionCatalog.ListAsync(CancellationToken ct) =>
        (await ListAsync(ct)).Select(v => new CatalogedModel(SpecOf(v), v.CreatedAt, v.IsActive)).ToList();

    /// <summary>What serving loads for a version: its base folder and adapter, under the version's name.</summary>
    public static ModelSpec SpecOf(ModelVersion v) => new(v.Name, v.BaseModelPath, v.AdapterPath, v.Id);

    public async Task ActivateAsync(long id, string actor, CancellationToken ct = default)
    {
        ModelVersion target;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            target = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) ?? throw new ArgumentException($"no model version {id}");
        await served.SwapAsync(SpecOf(target), ct);
        await MarkActiveAsync(id, actor, ct);
    }

    private async Task MarkActiveAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var target = await db.ModelVersions.SingleAsync(v => v.Id == id, ct);
        var previous = await db.ModelVersions.Where(v => v.IsActive && v.Id != id).ToListAsync(ct);
        foreach (var v in previous) v.IsActive = false;
        target.IsActive = true;
        target.ActivatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await Audit.WriteAsync(db, actor, "model.activate", $"model-version:{id}",
            new { target.Name, previous = previous.Select(v => v.Name).ToList() }, ct);
        await transaction.CommitAsync(ct);
    }
}
