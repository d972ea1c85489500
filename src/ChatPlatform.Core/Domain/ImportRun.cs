namespace ChatPlatform.Core.Domain;

/// <summary>One import of a support-log file: its counts and the records it rejected, for the import history.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }
    public required string FileName { get; set; }
    public required string Format { get; set; }
    /// <summary>SHA-256 (hex) of the file's bytes.</summary>
    public string? FileHash { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public RunStatus Status { get; set; }
    public int Imported { get; set; }
    public int Duplicates { get; set; }
    public int Rejected { get; set; }
    public string? Error { get; set; }
    public List<ImportRejection> Rejections { get; set; } = [];
}

/// <summary>A malformed record: where it was (line or record number) and why it was rejected.</summary>
public sealed class ImportRejection
{
    public long Id { get; set; }
    public long ImportRunId { get; set; }
    /// <summary>1-based line number for line formats, record number otherwise.</summary>
    public long Location { get; set; }
    public required string Reason { get; set; }
}

/// <summary>Lifecycle shared by imports, jobs and training runs. Interrupted: the process stopped while it ran.</summary>
public enum RunStatus { Pending, Running, Completed, Failed, Cancelled, Interrupted }
