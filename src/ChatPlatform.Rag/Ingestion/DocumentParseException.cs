namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// A knowledge file that cannot be ingested (empty, too large, encrypted, corrupt, unsupported). The message names
/// the file and the reason; ingestion of other files goes on. (An IOException: InvalidDataException is sealed.)
/// </summary>
public sealed class DocumentParseException(string path, string reason) : IOException($"{path}: {reason}")
{
    public string FilePath { get; } = path;
    public string Reason { get; } = reason;
}
