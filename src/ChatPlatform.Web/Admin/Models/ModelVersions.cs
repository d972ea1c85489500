using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin.Models;

/// <summary>
/// The registered model versions and which one is active. Activating one (or rolling back to an older one) marks it
/// the only active version and is audited; the serving path does not hot-swap yet, so the change takes effect when the
/// app is started with that version's base and adapter (Serving:Model, Serving:Adapter).
/// </summary>
public sealed class ModelVersions(IDbContextFactory<PlatformDbContext> contexts)
{
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().OrderByDescending(v => v.Id).ToListAsync(ct);
    }

    public async Task ActivateAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var target = await db.ModelVersions.SingleOrDefaultAsync(v => v.Id == id, ct) ?? throw new ArgumentException($"no model version {id}");
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
