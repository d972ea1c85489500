namespace ChatPlatform.Core.Domain;

/// <summary>A customer's conversation with the bot through the widget or the API.</summary>
public sealed class ChatSession
{
    public long Id { get; set; }
    /// <summary>The opaque id the widget keeps for the browser session.</summary>
    public required string PublicId { get; set; }
    public string? SiteKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<ChatMessageRecord> Messages { get; set; } = [];
}

public sealed class ChatMessageRecord
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public int Ordinal { get; set; }
    /// <summary>"user" or "assistant".</summary>
    public required string Role { get; set; }
    public required string Content { get; set; }
    /// <summary>Retrieved sources cited by an answer, as JSON.</summary>
    public string? CitationsJson { get; set; }
    public long? ModelVersionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Feedback Feedback { get; set; }
    /// <summary>The customer's "what should the answer have been".</summary>
    public string? Correction { get; set; }
    public DateTimeOffset? FeedbackAt { get; set; }
}

public enum Feedback { None, Up, Down }
