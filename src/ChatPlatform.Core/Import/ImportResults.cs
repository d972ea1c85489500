namespace ChatPlatform.Core.Import;

/// <summary>Progress of a running import: records read so far and how many bytes of the file that took.</summary>
public sealed record ImportProgress(long Records, int Imported, int Duplicates, int Rejected, long BytesRead, long TotalBytes);

/// <summary>A rejected record: its 1-based line (record number where a format has no lines) and the reason.</summary>
public sealed record ImportRejectionInfo(long Location, string Reason);

/// <summary>The outcome of a completed import; every rejection is also stored with the ImportRun row.</summary>
public sealed record ImportSummary(
    long ImportRunId, string FileName, LogFormat Format, int Imported, int Duplicates, int Rejected,
    IReadOnlyList<ImportRejectionInfo> FirstRejections, long Bytes, TimeSpan Elapsed);

/// <summary>How to read and store one file.</summary>
public sealed record ImportOptions
{
    /// <summary>CSV columns / transcript speaker labels.</summary>
    public ColumnMap Map { get; init; } = ColumnMap.Empty;
    /// <summary>False stores the raw text (for data that is already anonymised).</summary>
    public bool Redact { get; init; } = true;
    /// <summary>Conversations written per SaveChanges; the change tracker is cleared after each batch.</summary>
    public int BatchSize { get; init; } = 1000;
    /// <summary>How many rejections the summary carries (all of them are stored).</summary>
    public int SummaryRejections { get; init; } = 20;
}
