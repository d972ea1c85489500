namespace ChatPlatform.Rag.Ingestion;

/// <summary>Limits checked before a file is parsed, so one oversized upload cannot exhaust memory.</summary>
public sealed record IngestionLimits
{
    /// <summary>Largest file accepted, in bytes (default 50 MB).</summary>
    public long MaxFileBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Longest time pdftotext may run on one file.</summary>
    public TimeSpan PdfTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
