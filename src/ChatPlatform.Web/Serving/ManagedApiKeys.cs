using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// API keys created in the admin console (the <c>ApiKeys</c> table), beside the ones in Serving:ApiKeys. A new key is
/// 256 random bits, returned once by <see cref="CreateAsync"/>; only its SHA-256 and a display prefix are stored.
/// <see cref="ApiKeyAuthentication"/> checks requests against an in-memory set of the active keys' hashes, so a request
/// costs no database query; creating or revoking a key here replaces that set at once (revocation takes effect on the
/// next request), and the set is reloaded every <see cref="RefreshInterval"/> in case another process changed the table.
/// </summary>
public sealed class ManagedApiKeys(IDbContextFactory<PlatformDbContext> contexts)
{
    /// <summary>Every managed key starts with this, so a leaked one is recognisable (e.g. by secret scanners).</summary>
    public const string KeyPrefix = "cp-";
    public const int MaxNameLength = 100;
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private ActiveKeys? active;
    // Bumped by every change; a reload that began before a change does not install its (stale) result.
    private long generation;
    private readonly SemaphoreSlim reload = new(1, 1);
    private readonly ConcurrentDictionary<long, DateTimeOffset> lastUseWritten = new();

    public async Task<CreatedApiKey> CreateAsync(string name, string actor, CancellationToken ct = default)
    {
        name = name.Trim();
        if (name.Length == 0) throw new ArgumentException("name: give the key a name that says who or what uses it");
        if (name.Length > MaxNameLength) throw new ArgumentException($"name: at most {MaxNameLength} characters");
        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiKey
        {
            Name = name,
            Prefix = key[..(KeyPrefix.Length + 6)],
            KeyHash = HashOf(key),
            CreatedBy = actor,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ApiKeys.Add(record);
        await db.SaveChangesAsync(ct);
        await Audit.WriteAsync(db, actor, "apikey.create", $"api-key:{record.Id}", new { record.Name, record.Prefix }, ct);
        Invalidate();
        return new CreatedApiKey(record, key);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(ct);
    }

    /// <summary>Revokes the key; requests with it are refused from the next one on. Revoking a revoked key changes nothing.</summary>
    public async Task RevokeAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var record = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct) ?? throw new ArgumentException($"no API key {id}");
        if (record.RevokedAt is not null) return;
        record.RevokedAt = DateTimeOffset.UtcNow;
        record.RevokedBy = actor;
        await db.SaveChangesAsync(ct);
        Invalidate();
        await Audit.WriteAsync(db, actor, "apikey.revoke", $"api-key:{id}", new { record.Name, record.Prefix }, ct);
    }

    /// <summary>Whether any managed key is active (with none and no configured key, the API is open).</summary>
    internal async ValueTask<bool> AnyActiveAsync(CancellationToken ct) => (await ActiveAsync(ct)).ByHash.Count > 0;

    /// <summary>The id of the active key with this SHA-256, else null.</summary>
    internal async ValueTask<long?> FindActiveAsync(string keyHash, CancellationToken ct) =>
        (await ActiveAsync(ct)).ByHash.TryGetValue(keyHash, out var id) ? id : null;

    /// <summary>Stamps LastUsedAt, at most once a minute per key, so busy keys do not turn every request into a write.</summary>
    internal async Task RecordUseAsync(long id, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (lastUseWritten.TryGetValue(id, out var written) && now - written < LastUsedResolution) return;
        lastUseWritten[id] = now;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
    }

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private void Invalidate()
    {
        Interlocked.Increment(ref generation);
        Volatile.Write(ref active, null);
    }

    private async ValueTask<ActiveKeys> ActiveAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref active);
        if (current is not null && DateTimeOffset.UtcNow - current.LoadedAt < RefreshInterval) return current;
        await reload.WaitAsync(ct);
        try
        {
            current = Volatile.Read(ref active);
            if (current is not null && DateTimeOffset.UtcNow - current.LoadedAt < RefreshInterval) return current;
            var startedAt = Interlocked.Read(ref generation);
            await using var db = await contexts.CreateDbContextAsync(ct);
            var rows = await db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null).Select(k => new { k.KeyHash, k.Id }).ToListAsync(ct);
            var loaded = new ActiveKeys(rows.ToFrozenDictionary(r => r.KeyHash, r => r.Id), DateTimeOffset.UtcNow);
            // A change during the query may be missing from these rows: use them for this request, keep them only if none happened.
            if (Interlocked.Read(ref generation) == startedAt) Volatile.Write(ref active, loaded);
            return loaded;
        }
        finally
        {
            reload.Release();
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record ActiveKeys(FrozenDictionary<string, long> ByHash, DateTimeOffset LoadedAt);
}

/// <summary>A key just created: the stored record and the key itself, which is never available again.</summary>
public sealed record CreatedApiKey(ApiKey Record, string Key);
