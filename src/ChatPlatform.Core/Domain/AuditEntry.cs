namespace ChatPlatform.Core.Domain;

/// <summary>One admin action: who did what to which thing, for the audit log.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    /// <summary>A dotted verb: "example.approve", "snapshot.create", "model.activate", "logs.import".</summary>
    public required string Action { get; set; }
    public string? Target { get; set; }
    public string? DetailsJson { get; set; }
}
