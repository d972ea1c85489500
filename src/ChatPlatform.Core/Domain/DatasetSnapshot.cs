namespace ChatPlatform.Core.Domain;

/// <summary>
/// An immutable, versioned freeze of approved examples. Training always reads a snapshot; the context refuses to
/// modify or delete a saved snapshot or its items.
/// </summary>
public sealed class DatasetSnapshot
{
    public long Id { get; set; }
    /// <summary>1, 2, 3... in creation order.</summary>
    public int Version { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    /// <summary>SHA-256 (hex) over the items' messages in order.</summary>
    public required string ContentHash { get; set; }
    public int ExampleCount { get; set; }
    public List<DatasetSnapshotItem> Items { get; set; } = [];
}

public sealed class DatasetSnapshotItem
{
    public long Id { get; set; }
    public long SnapshotId { get; set; }
    public int Ordinal { get; set; }
    public long ExampleId { get; set; }
    /// <summary>The near-duplicate cluster at snapshot time (keeps clusters on one side of a train/eval split).</summary>
    public long? DuplicateClusterId { get; set; }
    /// <summary>A frozen copy: later edits to the example do not change the snapshot.</summary>
    public List<ExampleMessage> Messages { get; set; } = [];
}
