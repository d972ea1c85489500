using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// A parsed and checked POST /v1/chat/completions body: the conversation, how to sample its reply, and whether to ground
/// it on the knowledge base. <see cref="Model"/> is the name as sent (echoed in the response), <see cref="ServedModel"/>
/// the same without the retrieval suffix.
/// </summary>
internal sealed record ChatCompletionRequest(string Model, string ServedModel, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream,
    bool IncludeUsage, RetrievalRequest? Retrieval)
{
    private const int MaxStopSequences = 4;

    public static ChatCompletionRequest Parse(JsonElement body)
    {
        var model = body.RequiredString("model", "model");
        var (served, retrieval) = RetrievalRequest.Parse(body, model);
        var messages = ParseMessages(body);
        if (retrieval is not null && messages[^1].Role != ChatRole.User)
            throw OpenAiException.InvalidField("messages", "With retrieval, the last message must be the user's question: it is what the knowledge base is searched for.");
        var options = new ChatOptions
        {
            Temperature = (float?)body.OptionalNumber("temperature", 0, 2),
            TopP = (float?)body.OptionalNumber("top_p", 0, 1, minExclusive: true),
            TopK = (int?)body.OptionalInteger("top_k", 1, int.MaxValue),
            // max_completion_tokens replaced max_tokens in OpenAI's API; clients send either
            MaxOutputTokens = (int?)(body.OptionalInteger("max_completion_tokens", 1, int.MaxValue) ?? body.OptionalInteger("max_tokens", 1, int.MaxValue)),
            Seed = body.OptionalInteger("seed", long.MinValue),
            StopSequences = ParseStop(body),
        };
        // llama-server and vLLM accept these sampling extensions; LocalChatClient reads them from AdditionalProperties
        if (body.OptionalNumber("min_p", 0, 1) is { } minP) (options.AdditionalProperties ??= [])["min_p"] = minP;
        if (body.OptionalNumber("repetition_penalty", 0, 10, minExclusive: true) is { } penalty)
            (options.AdditionalProperties ??= [])["repetition_penalty"] = penalty;
        if (body.OptionalInteger("n", 1) is > 1)
            throw OpenAiException.InvalidField("n", "'n' must be 1: this server generates one choice per request.");
        foreach (var name in new[] { "frequency_penalty", "presence_penalty" })
            if (body.OptionalNumber(name, -2, 2) is { } p && p != 0)
                throw OpenAiException.InvalidField(name, $"'{name}' is not supported by this server (use repetition_penalty); send 0 or leave it out.");
        if (body.OptionalBool("logprobs") == true) throw OpenAiException.InvalidField("logprobs", "'logprobs' is not supported by this server.");
        if (body.Field("tools") is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0)
            throw OpenAiException.InvalidField("tools", "'tools' (function calling) is not supported by this server.");
        var stream = body.OptionalBool("stream") ?? false;
        var includeUsage = false;
        if (body.Field("stream_options") is { } so)
        {
            if (so.ValueKind != JsonValueKind.Object)
                throw OpenAiException.InvalidField("stream_options", $"'stream_options' must be an object, not {RequestBody.Describe(so)}.");
            includeUsage = so.OptionalBool("include_usage", "stream_options.include_usage") ?? false;
        }
        return new ChatCompletionRequest(model, served, messages, options, stream, includeUsage, retrieval);
    }

    private static List<ChatMessage> ParseMessages(JsonElement body)
    {
        if (body.Field("messages") is not { } array) throw OpenAiException.InvalidField("messages", "'messages' is a required property.");
        if (array.ValueKind != JsonValueKind.Array)
            throw OpenAiException.InvalidField("messages", $"'messages' must be an array, not {RequestBody.Describe(array)}.");
        if (array.GetArrayLength() == 0) throw OpenAiException.InvalidField("messages", "'messages' must contain at least one message.");
        var messages = new List<ChatMessage>();
        var i = 0;
        foreach (var m in array.EnumerateArray())
        {
            var path = $"messages[{i++}]";
            if (m.ValueKind != JsonValueKind.Object) throw OpenAiException.InvalidField(path, $"'{path}' must be an object, not {RequestBody.Describe(m)}.");
            var role = m.RequiredString("role", path + ".role") switch
            {
                "system" or "developer" => ChatRole.System,  // "developer" is OpenAI's newer name for the system turn
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                var other => throw OpenAiException.InvalidField(path + ".role",
                    $"'{path}.role' must be one of system, developer, user, assistant, not '{other}'."),
            };
            messages.Add(new ChatMessage(role, ParseContent(m, path + ".content", optional: role == ChatRole.Assistant)));
        }
        return messages;
    }

    /// <summary>A string, or an array of text parts ({"type":"text","text":...}) joined; other part types are refused.</summary>
    private static string ParseContent(JsonElement message, string path, bool optional)
    {
        if (message.Field("content") is not { } content)
            return optional ? "" : throw OpenAiException.InvalidField(path, $"'{path}' is a required property.");
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            throw OpenAiException.InvalidField(path, $"'{path}' must be a string or an array of text parts, not {RequestBody.Describe(content)}.");
        var text = new System.Text.StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{i++}]";
            if (part.ValueKind != JsonValueKind.Object) throw OpenAiException.InvalidField(partPath, $"'{partPath}' must be an object.");
            var type = part.RequiredString("type", partPath + ".type");
            if (type != "text") throw OpenAiException.InvalidField(partPath + ".type", $"'{partPath}.type' '{type}' is not supported: this model reads text only.");
            text.Append(part.RequiredString("text", partPath + ".text"));
        }
        return text.ToString();
    }

    private static List<string>? ParseStop(JsonElement body)
    {
        if (body.Field("stop") is not { } stop) return null;
        if (stop.ValueKind == JsonValueKind.String) return NonEmpty([stop.GetString()!]);
        if (stop.ValueKind != JsonValueKind.Array)
            throw OpenAiException.InvalidField("stop", $"'stop' must be a string or an array of strings, not {RequestBody.Describe(stop)}.");
        if (stop.GetArrayLength() > MaxStopSequences)
            throw OpenAiException.InvalidField("stop", $"'stop' may hold at most {MaxStopSequences} sequences, not {stop.GetArrayLength()}.");
        return NonEmpty(stop.EnumerateArray().Select((s, i) => RequestBody.String(s, $"stop[{i}]")).ToList());

        static List<string> NonEmpty(List<string> stops) =>
            stops.Any(s => s.Length == 0) ? throw OpenAiException.InvalidField("stop", "'stop' sequences must not be empty.") : stops;
    }
}
