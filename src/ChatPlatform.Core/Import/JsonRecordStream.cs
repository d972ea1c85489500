using System.Text.Json;

namespace ChatPlatform.Core.Import;

/// <summary>
/// The records of a JSON file, one at a time, without loading the file: NDJSON line by line, or the elements of a
/// top-level array (<c>[...]</c>) or of a named array property (<c>{"tickets": [...]}</c>) read with a resumable
/// <see cref="Utf8JsonReader"/> over a growing buffer. Each record's bytes are parsed into a <see cref="JsonDocument"/>
/// that lives only while <paramref name="parse"/> runs. Locations are 1-based line numbers of the record's start.
/// </summary>
internal static class JsonRecordStream
{
    public delegate LogRecord Parser(JsonElement record, long line);

    /// <summary>NDJSON: one record per line; blank lines are skipped, a line that is not JSON is a rejection.</summary>
    public static IEnumerable<LogRecord> Lines(Stream stream, Parser parse)
    {
        foreach (var (line, number) in Utf8Lines.Read(stream))
        {
            if (line.Span.Trim(" \t\r"u8).IsEmpty) continue;
            LogRecord record;
            try
            {
                using var doc = JsonDocument.Parse(line);
                record = Parse(parse, doc.RootElement, number);
            }
            catch (JsonException e)
            {
                record = LogRecord.Rejected(number, $"invalid JSON: {FirstSentence(e.Message)}");
            }
            yield return record;
        }
    }

    /// <summary>
    /// The elements of the top-level array, or of the array under <paramref name="property"/> in a top-level object
    /// (other properties are skipped). A JSON syntax error here is fatal: nothing after it can be located reliably.
    /// </summary>
    public static IEnumerable<LogRecord> ArrayElements(Stream stream, string property, string source, Parser parse)
    {
        var buffer = new ReadBuffer(stream);
        var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = NextToken(buffer, ref state, source, out _);
        if (root == JsonTokenType.StartObject)
        {
            while (true)
            {
                var token = NextToken(buffer, ref state, source, out var name);
                if (token != JsonTokenType.PropertyName)
                    throw new InvalidDataException($"{source}: the top-level object has no \"{property}\" array");
                if (string.Equals(name, property, StringComparison.OrdinalIgnoreCase)) break;
                NextValue(buffer, ref state, source, skip: true, out _, out _);
            }
            if (NextToken(buffer, ref state, source, out _) != JsonTokenType.StartArray)
                throw new InvalidDataException($"{source}: \"{property}\" is not an array (line {buffer.Line})");
        }
        else if (root != JsonTokenType.StartArray)
        {
            throw new InvalidDataException($"{source}: expected a JSON array or an object with a \"{property}\" array");
        }

        while (NextValue(buffer, ref state, source, skip: false, out var value, out var line))
        {
            LogRecord record;
            try
            {
                using var doc = JsonDocument.Parse(value);
                record = Parse(parse, doc.RootElement, line);
            }
            catch (JsonException e)
            {
                record = LogRecord.Rejected(line, $"invalid JSON: {FirstSentence(e.Message)}");
            }
            yield return record;
        }
    }

    static LogRecord Parse(Parser parse, JsonElement element, long line)
    {
        try
        {
            return parse(element, line);
        }
        catch (RecordException e)
        {
            return LogRecord.Rejected(line, e.Message);
        }
    }

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Reads one token (not a whole value); refills the buffer until the token is complete.</summary>
    static JsonTokenType NextToken(ReadBuffer buffer, ref JsonReaderState state, string source, out string? propertyName)
    {
        while (true)
        {
            try
            {
                var reader = new Utf8JsonReader(buffer.Available, buffer.AtEnd, state);
                if (reader.Read())
                {
                    propertyName = reader.TokenType == JsonTokenType.PropertyName ? reader.GetString() : null;
                    state = reader.CurrentState;
                    buffer.Consume((int)reader.BytesConsumed);
                    return reader.TokenType;
                }
            }
            catch (JsonException e)
            {
                throw Syntax(source, buffer, e);
            }
            if (buffer.AtEnd) throw new InvalidDataException($"{source}: the JSON ends early (line {buffer.Line})");
            buffer.Fill();
        }
    }

    /// <summary>
    /// The next complete value of the current array (false at its closing bracket), as a slice of the buffer that stays
    /// valid until the next call.
    /// </summary>
    static bool NextValue(ReadBuffer buffer, ref JsonReaderState state, string source, bool skip,
        out ReadOnlyMemory<byte> value, out long line)
    {
        while (true)
        {
            try
            {
                var reader = new Utf8JsonReader(buffer.Available, buffer.AtEnd, state);
                if (reader.Read())
                {
                    if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject && !skip)
                    {
                        state = reader.CurrentState;
                        buffer.Consume((int)reader.BytesConsumed);
                        value = default;
                        line = buffer.Line;
                        return false;
                    }
                    var start = (int)reader.TokenStartIndex;
                    if (reader.TrySkip())
                    {
                        var end = (int)reader.BytesConsumed;
                        line = buffer.LineAt(start);
                        value = buffer.Slice(start, end - start);
                        state = reader.CurrentState;
                        buffer.Consume(end);
                        return true;
                    }
                }
            }
            catch (JsonException e)
            {
                throw Syntax(source, buffer, e);
            }
            if (buffer.AtEnd) throw new InvalidDataException($"{source}: the JSON ends early (line {buffer.Line})");
            buffer.Fill();
        }
    }

    /// <summary>The reader state carries the line count across buffers, so the exception's line is the file's (0-based).</summary>
    static InvalidDataException Syntax(string source, ReadBuffer buffer, JsonException e) =>
        new($"{source}: invalid JSON at line {(e.LineNumber is { } l ? l + 1 : buffer.Line)}: {FirstSentence(e.Message)}", e);
}
