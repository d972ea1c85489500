namespace ChatPlatform.Core.Domain;

/// <summary>
/// A supervised fine-tuning example awaiting or after review. <see cref="Messages"/> is the current text;
/// <see cref="OriginalMessages"/> is what generation produced, and <see cref="Edits"/> the history between them.
/// </summary>
public sealed class SftExample
{
    public long Id { get; set; }
    public List<ExampleMessage> Messages { get; set; } = [];
    public List<ExampleMessage> OriginalMessages { get; set; } = [];
    public ExampleOrigin Origin { get; set; }
    /// <summary>What the example came from: "conversation", "document", "chunk", "chat-message", "manual".</summary>
    public string? SourceKind { get; set; }
    /// <summary>The source's id (conversation id, chunk id, chat message id...).</summary>
    public string? SourceId { get; set; }
    /// <summary>The teacher model that wrote or paraphrased it ("model@endpoint"), when one did.</summary>
    public string? Teacher { get; set; }
    public ExampleStatus Status { get; set; }
    /// <summary>Heuristic quality flags for reviewers ("low-value-reply", "unresolved", "truncated"...).</summary>
    public List<string> Flags { get; set; } = [];
    /// <summary>SHA-256 (hex) of the normalised messages: exact duplicates share it.</summary>
    public required string NormalizedHash { get; set; }
    /// <summary>Near-duplicate cluster (MinHash); examples in one cluster never straddle train and eval.</summary>
    public long? DuplicateClusterId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public List<SftExampleEdit> Edits { get; set; } = [];
}

/// <summary>One chat message of an example; Role is "system", "user" or "assistant".</summary>
public sealed record ExampleMessage(string Role, string Content);

public enum ExampleOrigin { Conversation, Document, Teacher, Feedback, Manual }

public enum ExampleStatus { Pending, Approved, Rejected }

/// <summary>One review action that changed an example's messages or status.</summary>
public sealed class SftExampleEdit
{
    public long Id { get; set; }
    public long ExampleId { get; set; }
    public required string Editor { get; set; }
    public DateTimeOffset EditedAt { get; set; }
    public List<ExampleMessage> PreviousMessages { get; set; } = [];
    public List<ExampleMessage> NewMessages { get; set; } = [];
    public ExampleStatus? PreviousStatus { get; set; }
    public ExampleStatus? NewStatus { get; set; }
    public string? Note { get; set; }
}
