namespace ChatPlatform.Core.Domain;

/// <summary>
/// A bearer key for the OpenAI-compatible API, created in the admin console. The key itself is shown once at creation
/// and never stored: only its SHA-256 (<see cref="KeyHash"/>; the key is 256 random bits, so a fast hash is enough)
/// and a short <see cref="Prefix"/> that lets people tell keys apart.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    /// <summary>What the key is for ("support bot", "Semantic Kernel app").</summary>
    public required string Name { get; set; }
    /// <summary>The key's first characters, for display ("cp-3fA9x…").</summary>
    public required string Prefix { get; set; }
    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes.</summary>
    public required string KeyHash { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When a request last authenticated with it (updated at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}
