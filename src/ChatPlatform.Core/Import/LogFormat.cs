namespace ChatPlatform.Core.Import;

/// <summary>The support-log formats the importer reads.</summary>
public enum LogFormat { Jsonl, Json, Csv, Zendesk, Transcript }

public static class LogFormats
{
    public static LogFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "jsonl" or "ndjson" => LogFormat.Jsonl,
        "json" => LogFormat.Json,
        "csv" => LogFormat.Csv,
        "zendesk" => LogFormat.Zendesk,
        "transcript" or "txt" => LogFormat.Transcript,
        _ => throw new ArgumentException($"--format: unknown format '{name}' (expected jsonl, json, csv, zendesk or transcript)"),
    };

    public static string Name(LogFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>
    /// Guesses the format: JSON-looking content (by its first 64 KB) is Zendesk when it has "comments" with "author_id"
    /// or a "tickets" array, otherwise JSONL when the first line is a whole JSON object, otherwise JSON; other files
    /// are CSV by the .csv/.tsv extension or a first line of comma-separated names, otherwise transcripts.
    /// </summary>
    public static LogFormat Detect(string path)
    {
        var head = new char[64 * 1024];
        int read;
        using (var reader = new StreamReader(path))
            read = reader.ReadBlock(head, 0, head.Length);
        var text = new string(head, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('[') || text.StartsWith('{'))
        {
            if (text.Contains("\"tickets\"", StringComparison.Ordinal)
                || (text.Contains("\"comments\"", StringComparison.Ordinal) && text.Contains("\"author_id\"", StringComparison.Ordinal)))
                return LogFormat.Zendesk;
            if (text.StartsWith('[')) return LogFormat.Json;
            return FirstLineIsWholeObject(text) ? LogFormat.Jsonl : LogFormat.Json;
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".csv") return LogFormat.Csv;
        var firstLine = text.Split('\n', 2)[0].Trim();
        if (extension is not ".txt" and not ".log" && firstLine.Contains(',') && !firstLine.Contains(':')) return LogFormat.Csv;
        return LogFormat.Transcript;
    }

    internal static bool FirstLineIsWholeObject(string text)
    {
        var line = text.Split('\n', 2)[0];
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
