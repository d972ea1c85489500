using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatPlatform.Llm.ChatTemplates;

namespace ChatPlatform.Training.Data;

/// <summary>How <see cref="SftJsonl"/> reads a dataset.</summary>
public sealed record SftReadOptions
{
    /// <summary>The layout of every line; <see cref="SftFormat.Auto"/> decides per line.</summary>
    public SftFormat Format { get; init; } = SftFormat.Auto;

    /// <summary>Skip invalid lines (each is listed in <see cref="SftReadReport.Skipped"/>) instead of throwing.</summary>
    public bool SkipInvalid { get; init; }
}

/// <summary>A line left out of a dataset, and why.</summary>
public sealed record SftSkippedLine(string Location, string? Field, string Reason);

/// <summary>
/// What reading a dataset found. Every line is accounted for:
/// <c>LinesRead == BlankLines + Examples + Skipped.Count</c>.
/// </summary>
public sealed record SftReadReport(int LinesRead, int BlankLines, int Examples, IReadOnlyList<SftSkippedLine> Skipped);

/// <summary>The examples of a dataset and the report of how they were read.</summary>
public sealed record SftReadResult(IReadOnlyList<SftExample> Examples, SftReadReport Report);

/// <summary>
/// Reads SFT datasets as JSON Lines (one example per line) in the OpenAI chat, ShareGPT or Alpaca layout,
/// and writes them back out in the OpenAI chat layout.
/// </summary>
/// <remarks>
/// <para>Every example must be a conversation the trainer can learn from: an optional system message first,
/// then user and assistant turns alternating, starting with a user turn and ending with an assistant turn,
/// every content a non-empty string. Roles outside system/user/assistant (tool, function, observation) are
/// rejected rather than dropped, so nothing changes meaning silently. Unknown fields are ignored.</para>
/// <para>ShareGPT's <c>from</c> may be <c>human</c>/<c>user</c>, <c>gpt</c>/<c>assistant</c> or <c>system</c>, and a
/// top-level <c>system</c> string is accepted (as LLaMA-Factory does). Alpaca's user turn is
/// <c>instruction</c>, followed by a newline and <c>input</c> when that is not empty (LLaMA-Factory's and
/// Stanford Alpaca's convention); an empty <c>input</c> or <c>system</c> counts as absent, and <c>history</c>
/// (a list of <c>[instruction, response]</c> pairs) becomes the earlier turns.</para>
/// <para>Blank lines are ignored (and counted). A line that is not a valid example throws
/// <see cref="SftDataException"/> naming the file, line and field, or with
/// <see cref="SftReadOptions.SkipInvalid"/> is skipped and listed in the report.</para>
/// </remarks>
public static class SftJsonl
{
    // Accented and non-Latin text stays readable in exported files (System.Text.Json still escapes quotes, control
    // characters and characters beyond the BMP such as emoji, as \uXXXX surrogate pairs).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads a .jsonl file (UTF-8, with or without a byte-order mark). Locations are "path:line".</summary>
    public static SftReadResult ReadFile(string path, SftReadOptions? options = null)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, options);
    }

    /// <summary>Reads JSON Lines from <paramref name="reader"/>; <paramref name="sourceName"/> names it in locations.</summary>
    public static SftReadResult Read(TextReader reader, string sourceName, SftReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new SftReadOptions();
        var examples = new List<SftExample>();
        var skipped = new List<SftSkippedLine>();
        int lineNumber = 0, blank = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                blank++;
                continue;
            }
            try
            {
                examples.Add(ParseLine(line, $"{sourceName}:{lineNumber}", options.Format));
            }
            catch (SftDataException e) when (options.SkipInvalid)
            {
                skipped.Add(new SftSkippedLine(e.Location, e.Field, e.Reason));
            }
        }
        return new SftReadResult(examples, new SftReadReport(lineNumber, blank, examples.Count, skipped));
    }

    /// <summary>Parses one JSON line into an example; <paramref name="location"/> ("file:line") is used in errors and as its source.</summary>
    /// <exception cref="SftDataException">The line is not valid JSON or not a valid example.</exception>
    public static SftExample ParseLine(string line, string location, SftFormat format = SftFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(line);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new SftDataException(location, null, $"invalid JSON at byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SftDataException(location, null, $"expected a JSON object, got {Describe(root)}");
            var reader = new LineReader(location);
            var messages = (format == SftFormat.Auto ? Detect(root, location) : format) switch
            {
                SftFormat.OpenAiChat => reader.OpenAi(root),
                SftFormat.ShareGpt => reader.ShareGpt(root),
                SftFormat.Alpaca => reader.Alpaca(root),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
            };
            return new SftExample(messages, location);
        }
    }

    /// <summary>Writes examples as OpenAI chat JSONL (UTF-8 without a byte-order mark, "\n" line ends).</summary>
    public static void WriteFile(string path, IEnumerable<SftExample> examples)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Write(writer, examples);
    }

    /// <summary>Writes one <c>{"messages": [...]}</c> line per example.</summary>
    public static void Write(TextWriter writer, IEnumerable<SftExample> examples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(examples);
        foreach (var example in examples)
        {
            writer.Write(ToJsonLine(example));
            writer.Write('\n');
        }
    }

    /// <summary>The example as one OpenAI chat JSON object, without a line end.</summary>
    public static string ToJsonLine(SftExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("messages");
            foreach (var message in example.Messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role);
                json.WriteString("content", message.Content);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static SftFormat Detect(JsonElement root, string location)
    {
        if (root.TryGetProperty("messages", out _)) return SftFormat.OpenAiChat;
        if (root.TryGetProperty("conversations", out _)) return SftFormat.ShareGpt;
        if (root.TryGetProperty("instruction", out _)) return SftFormat.Alpaca;
        throw new SftDataException(location, null,
            "unrecognised format: expected a \"messages\" (OpenAI chat), \"conversations\" (ShareGPT) or \"instruction\" (Alpaca) field");
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends " LineNumber: 0 | BytePositionInLine: n."; the position is reported separately.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>Turns one parsed line into messages, throwing with the line's location and the field's path.</summary>
    private readonly struct LineReader(string location)
    {
        public List<ChatMessage> OpenAi(JsonElement root)
        {
            var list = RequiredArray(root, "messages", "messages");
            var messages = new List<ChatMessage>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var path = $"messages[{i++}]";
                if (item.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, got {Describe(item)}");
                var role = RequiredString(item, "role", path + ".role");
                if (role is not ("system" or "user" or "assistant"))
                    throw Error(path + ".role", $"unsupported role '{role}' (expected system, user or assistant)");
                messages.Add(new ChatMessage(role, Content(item, "content", path + ".content")));
            }
            CheckConversation(messages, "messages", i => $"messages[{i}]", "role");
            return messages;
        }

        public List<ChatMessage> ShareGpt(JsonElement root)
        {
            var list = RequiredArray(root, "conversations", "conversations");
            var messages = new List<ChatMessage>();
            var offset = 0;
            if (OptionalString(root, "system", "system") is { } system)
            {
                messages.Add(new ChatMessage("system", system));
                offset = 1;
            }
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var path = $"conversations[{i++}]";
                if (item.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, got {Describe(item)}");
                var from = RequiredString(item, "from", path + ".from");
                var role = from switch
                {
                    "system" => "system",
                    "human" or "user" => "user",
                    "gpt" or "assistant" => "assistant",
                    _ => throw Error(path + ".from", $"unsupported speaker '{from}' (expected system, human/user or gpt/assistant)"),
                };
                if (role == "system" && offset == 1)
                    throw Error(path + ".from", "a system turn is not allowed when the top-level \"system\" field is set");
                messages.Add(new ChatMessage(role, Content(item, "value", path + ".value")));
            }
            CheckConversation(messages, "conversations", i => $"conversations[{i - offset}]", "from");
            return messages;
        }

        public List<ChatMessage> Alpaca(JsonElement root)
        {
            var messages = new List<ChatMessage>();
            if (OptionalString(root, "system", "system") is { } system) messages.Add(new ChatMessage("system", system));
            if (root.TryGetProperty("history", out var history) && history.ValueKind != JsonValueKind.Null)
            {
                if (history.ValueKind != JsonValueKind.Array) throw Error("history", $"expected a list of [instruction, response] pairs, got {Describe(history)}");
                var i = 0;
                foreach (var pair in history.EnumerateArray())
                {
                    var path = $"history[{i++}]";
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                        throw Error(path, "expected an [instruction, response] pair");
                    messages.Add(new ChatMessage("user", NonEmpty(pair[0], path + "[0]")));
                    messages.Add(new ChatMessage("assistant", NonEmpty(pair[1], path + "[1]")));
                }
            }
            var instruction = Content(root, "instruction", "instruction");
            var input = OptionalString(root, "input", "input");
            messages.Add(new ChatMessage("user", input is null ? instruction : instruction + "\n" + input));
            messages.Add(new ChatMessage("assistant", Content(root, "output", "output")));
            return messages;
        }

        /// <summary>
        /// System first if at all; then user, assistant, user, ... ending with an assistant turn. Templates such
        /// as Llama-2's and Mistral's refuse anything else, and a trailing user turn has no answer to learn.
        /// </summary>
        private void CheckConversation(List<ChatMessage> messages, string listName, Func<int, string> path, string roleField)
        {
            if (messages.All(m => m.Role == "system")) throw Error(listName, "no user or assistant turns");
            var expected = "user";
            for (var i = 0; i < messages.Count; i++)
            {
                var role = messages[i].Role;
                if (role == "system")
                {
                    if (i != 0) throw Error($"{path(i)}.{roleField}", "a system message is only allowed first");
                    continue;
                }
                if (role != expected)
                    throw Error($"{path(i)}.{roleField}", i == 0 || (i == 1 && messages[0].Role == "system")
                        ? $"the conversation must start with a user turn, got '{role}'"
                        : $"expected '{expected}' (turns alternate user/assistant), got '{role}'");
                expected = role == "user" ? "assistant" : "user";
            }
            if (messages[^1].Role != "assistant")
                throw messages.Any(m => m.Role == "assistant")
                    ? Error($"{path(messages.Count - 1)}.{roleField}", "the conversation must end with an assistant turn")
                    : Error(listName, "no assistant turn");
        }

        private JsonElement RequiredArray(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(path, "missing");
            if (value.ValueKind != JsonValueKind.Array) throw Error(path, $"expected a list, got {Describe(value)}");
            return value;
        }

        private string RequiredString(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(path, "missing");
            if (value.ValueKind != JsonValueKind.String) throw Error(path, $"expected a string, got {Describe(value)}");
            return value.GetString()!;
        }

        /// <summary>A message's text: present, a string, and not empty or only whitespace.</summary>
        private string Content(JsonElement obj, string name, string path) => NonEmpty(
            obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw Error(path, "missing"), path);

        private string NonEmpty(JsonElement value, string path)
        {
            if (value.ValueKind != JsonValueKind.String) throw Error(path, $"expected a string, got {Describe(value)}");
            var text = value.GetString()!;
            if (string.IsNullOrWhiteSpace(text)) throw Error(path, "empty content");
            return text;
        }

        /// <summary>An optional string field; absent, null, empty or whitespace-only all mean "not given".</summary>
        private string? OptionalString(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.String) throw Error(path, $"expected a string, got {Describe(value)}");
            var text = value.GetString()!;
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        private SftDataException Error(string field, string reason) => new(location, field, reason);
    }
}
