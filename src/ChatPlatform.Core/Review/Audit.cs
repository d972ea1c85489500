using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;

namespace ChatPlatform.Core.Review;

/// <summary>Writes the audit log entry of an admin action.</summary>
public static class Audit
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task WriteAsync(PlatformDbContext db, string actor, string action, string? target, object? details,
        CancellationToken cancellationToken = default)
    {
        db.AuditLog.Add(new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            Actor = actor,
            Action = action,
            Target = target,
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details, details.GetType(), Json),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
