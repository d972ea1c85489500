namespace ChatPlatform.Core.Import;

/// <summary>The reader for each format, as a stream of <see cref="LogRecord"/>s.</summary>
internal static class LogReaders
{
    /// <param name="head">The file's first bytes (up to 64 KB), to tell the Zendesk layouts apart.</param>
    public static IEnumerable<LogRecord> Read(Stream stream, LogFormat format, ColumnMap map, string source, ReadOnlySpan<byte> head) => format switch
    {
        LogFormat.Jsonl => JsonRecordStream.Lines(stream, JsonConversationParser.Parse),
        LogFormat.Json => JsonRecordStream.ArrayElements(stream, "conversations", source, JsonConversationParser.Parse),
        LogFormat.Zendesk => ZendeskIsNdjson(head)
            ? JsonRecordStream.Lines(stream, ZendeskTicketParser.Parse)
            : JsonRecordStream.ArrayElements(stream, "tickets", source, ZendeskTicketParser.Parse),
        LogFormat.Csv => new CsvLogReader(map, source).Read(stream),
        LogFormat.Transcript => new TranscriptLogReader(map).Read(stream),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>
    /// Zendesk exports come as NDJSON (one ticket per line, the incremental export) or as <c>{"tickets": [...]}</c>
    /// (the list API, possibly pretty-printed): a file whose first line is a whole ticket object is NDJSON.
    /// </summary>
    static bool ZendeskIsNdjson(ReadOnlySpan<byte> head)
    {
        var text = System.Text.Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('{') && LogFormats.FirstLineIsWholeObject(text) && !HasTicketsArray(text);
    }

    static bool HasTicketsArray(string text)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(text.Split('\n', 2)[0]);
        return doc.RootElement.TryGetProperty("tickets", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.Array;
    }
}
