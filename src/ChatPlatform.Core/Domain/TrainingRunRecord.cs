namespace ChatPlatform.Core.Domain;

/// <summary>A fine-tuning run started from a dataset snapshot, with its settings, output and metrics.</summary>
public sealed class TrainingRunRecord
{
    public long Id { get; set; }
    public long SnapshotId { get; set; }
    public required string Method { get; set; }
    /// <summary>The trainer options as JSON.</summary>
    public required string SettingsJson { get; set; }
    public RunStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The run folder (checkpoints, adapter, manifest).</summary>
    public string? OutputDirectory { get; set; }
    /// <summary>Final metrics and before/after evaluation as JSON.</summary>
    public string? MetricsJson { get; set; }
    public string? Error { get; set; }
    public string? StartedBy { get; set; }
}

/// <summary>A servable model: a base folder plus an optional adapter, with where it came from and how it scored.</summary>
public sealed class ModelVersion
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string BaseModelPath { get; set; }
    public string? AdapterPath { get; set; }
    public long? SnapshotId { get; set; }
    public long? TrainingRunId { get; set; }
    public string? EvaluationJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool IsActive { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }
}
