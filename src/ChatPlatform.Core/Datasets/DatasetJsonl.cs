using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;

namespace ChatPlatform.Core.Datasets;

/// <summary>One example as one JSONL line in each format, and back.</summary>
public static class DatasetJsonl
{
    /// <summary>Readable UTF-8 output (no \u escapes for accents or quotes); still valid JSON.</summary>
    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static string ToLine(IReadOnlyList<ExampleMessage> messages, DatasetFormat format)
    {
        ExampleMessages.Validate(messages);
        JsonObject line = format switch
        {
            DatasetFormat.OpenAI => new JsonObject
            {
                ["messages"] = new JsonArray([.. messages.Select(m => new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
            },
            DatasetFormat.ShareGpt => new JsonObject
            {
                ["conversations"] = new JsonArray([.. messages.Select(m => new JsonObject { ["from"] = ShareGptFrom(m.Role), ["value"] = m.Content })]),
            },
            DatasetFormat.Alpaca => AlpacaLine(messages),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        return line.ToJsonString(Compact);
    }

    /// <summary>Parses one line; a problem is reported with <paramref name="file"/> and <paramref name="lineNumber"/>.</summary>
    public static List<ExampleMessage> FromLine(string line, DatasetFormat format, string file, int lineNumber)
    {
        JsonObject obj;
        try { obj = JsonNode.Parse(line) as JsonObject ?? throw DatasetLineError.At(file, lineNumber, "not a JSON object"); }
        catch (JsonException e) { throw DatasetLineError.At(file, lineNumber, $"invalid JSON: {e.Message}"); }

        var messages = format switch
        {
            DatasetFormat.OpenAI => Turns(obj, "messages", "role", "content", role => role, file, lineNumber),
            DatasetFormat.ShareGpt => Turns(obj, "conversations", "from", "value", ShareGptRole, file, lineNumber),
            DatasetFormat.Alpaca => FromAlpaca(obj, file, lineNumber),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        if (ExampleMessages.Problem(messages) is { } problem) throw DatasetLineError.At(file, lineNumber, problem);
        return messages;
    }

    static string ShareGptFrom(string role) => role switch { "user" => "human", "assistant" => "gpt", _ => "system" };

    static string? ShareGptRole(string from) => from switch
    {
        "human" or "user" => "user",
        "gpt" or "assistant" => "assistant",
        "system" => "system",
        _ => null,
    };

    static JsonObject AlpacaLine(IReadOnlyList<ExampleMessage> messages)
    {
        var line = new JsonObject();
        var start = 0;
        if (messages[0].Role == "system") { line["system"] = messages[0].Content; start = 1; }
        var turns = messages.Skip(start).ToList();
        // Alpaca holds one instruction and its output; earlier exchanges go to "history" as [user, assistant] pairs.
        var lastUser = turns.FindLastIndex(m => m.Role == "user");
        var history = new JsonArray();
        for (var i = 0; i + 1 < lastUser; i += 2)
        {
            if (turns[i].Role != "user" || turns[i + 1].Role != "assistant")
                throw new ArgumentException("alpaca needs strictly alternating user/assistant turns");
            history.Add(new JsonArray(turns[i].Content, turns[i + 1].Content));
        }
        if (lastUser != turns.Count - 2 || lastUser % 2 != 0)
            throw new ArgumentException("alpaca needs strictly alternating user/assistant turns ending on one assistant answer");
        line["instruction"] = turns[lastUser].Content;
        line["input"] = "";
        line["output"] = turns[^1].Content;
        if (history.Count > 0) line["history"] = history;
        return line;
    }

    static List<ExampleMessage> FromAlpaca(JsonObject obj, string file, int lineNumber)
    {
        var messages = new List<ExampleMessage>();
        if (OptionalString(obj, "system", file, lineNumber) is { Length: > 0 } system) messages.Add(new("system", system));
        if (obj["history"] is JsonArray history)
        {
            for (var i = 0; i < history.Count; i++)
            {
                if (history[i] is not JsonArray { Count: 2 } pair || pair[0]?.GetValueKind() != JsonValueKind.String || pair[1]?.GetValueKind() != JsonValueKind.String)
                    throw DatasetLineError.At(file, lineNumber, $"history[{i}]: expected [user, assistant] strings");
                messages.Add(new("user", pair[0]!.GetValue<string>()));
                messages.Add(new("assistant", pair[1]!.GetValue<string>()));
            }
        }
        else if (obj["history"] is not null) throw DatasetLineError.At(file, lineNumber, "history: expected an array");

        var instruction = OptionalString(obj, "instruction", file, lineNumber)
                          ?? throw DatasetLineError.At(file, lineNumber, "instruction: missing");
        var input = OptionalString(obj, "input", file, lineNumber);
        var output = OptionalString(obj, "output", file, lineNumber) ?? throw DatasetLineError.At(file, lineNumber, "output: missing");
        messages.Add(new("user", string.IsNullOrWhiteSpace(input) ? instruction : instruction + "\n\n" + input));
        messages.Add(new("assistant", output));
        return messages;
    }

    static List<ExampleMessage> Turns(JsonObject obj, string arrayName, string roleName, string contentName,
        Func<string, string?> role, string file, int lineNumber)
    {
        if (obj[arrayName] is not JsonArray array) throw DatasetLineError.At(file, lineNumber, $"{arrayName}: missing or not an array");
        var messages = new List<ExampleMessage>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject turn) throw DatasetLineError.At(file, lineNumber, $"{arrayName}[{i}]: not an object");
            var name = OptionalString(turn, roleName, file, lineNumber, $"{arrayName}[{i}].")
                       ?? throw DatasetLineError.At(file, lineNumber, $"{arrayName}[{i}].{roleName}: missing");
            var mapped = role(name) is { } r && ExampleMessages.Roles.Contains(r) ? r
                : throw DatasetLineError.At(file, lineNumber, $"{arrayName}[{i}].{roleName}: unknown role '{name}'");
            var content = OptionalString(turn, contentName, file, lineNumber, $"{arrayName}[{i}].")
                          ?? throw DatasetLineError.At(file, lineNumber, $"{arrayName}[{i}].{contentName}: missing");
            messages.Add(new(mapped, content));
        }
        return messages;
    }

    static string? OptionalString(JsonObject obj, string name, string file, int lineNumber, string path = "")
    {
        var node = obj[name];
        if (node is null) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw DatasetLineError.At(file, lineNumber, $"{path}{name}: expected a string");
        return node.GetValue<string>();
    }
}
