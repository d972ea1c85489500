namespace ChatPlatform.Core.Domain;

/// <summary>
/// A background job (training, import, indexing, example generation), persisted so that a restart can mark it
/// interrupted and offer to resume it.
/// </summary>
public sealed class Job
{
    public long Id { get; set; }
    /// <summary>"training", "import", "indexing", "generation".</summary>
    public required string Kind { get; set; }
    public RunStatus Status { get; set; }
    public string? PayloadJson { get; set; }
    public string? ResultJson { get; set; }
    /// <summary>0..1.</summary>
    public double Progress { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? CreatedBy { get; set; }
}
