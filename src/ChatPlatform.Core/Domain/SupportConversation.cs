namespace ChatPlatform.Core.Domain;

/// <summary>
/// One imported support ticket. Turns hold text as stored after PII redaction (the raw text never reaches the
/// database when redaction is on); <see cref="ContentHash"/> is over the raw record so that re-importing the same
/// file is recognised as a duplicate.
/// </summary>
public sealed class SupportConversation
{
    public long Id { get; set; }
    public required string TicketId { get; set; }
    /// <summary>SHA-256 (hex) of the normalised raw record; unique together with <see cref="TicketId"/>.</summary>
    public required string ContentHash { get; set; }
    public long ImportRunId { get; set; }
    public string? Subject { get; set; }
    public string? CustomerName { get; set; }
    public string? AgentName { get; set; }
    public List<string> Tags { get; set; } = [];
    public Resolution Resolution { get; set; }
    /// <summary>Customer satisfaction 1 (worst) to 5 (best), when the source carries one.</summary>
    public int? Satisfaction { get; set; }
    /// <summary>ISO 639-1 code when known or detected ("en", "de").</summary>
    public string? Language { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public List<ConversationTurn> Turns { get; set; } = [];
}

public enum Resolution { Unknown, Resolved, Unresolved, Escalated }

public sealed class ConversationTurn
{
    public long Id { get; set; }
    public long ConversationId { get; set; }
    public int Ordinal { get; set; }
    public TurnRole Role { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset? Time { get; set; }
}

/// <summary>Who wrote a turn. Internal notes are kept for reviewers but never become assistant text.</summary>
public enum TurnRole { Customer, Agent, System, InternalNote }
