using ChatPlatform.Llm.ChatTemplates;

namespace ChatPlatform.Training.Data;

/// <summary>
/// One supervised fine-tuning conversation: an optional system message, then user and assistant turns
/// alternating, ending with an assistant turn (the rules <see cref="SftJsonl"/> enforces).
/// </summary>
/// <param name="Messages">Roles are "system", "user" and "assistant", whatever the file's format called them.</param>
/// <param name="Source">Where the example came from, as "file:line", for error messages and reports.</param>
public sealed record SftExample(IReadOnlyList<ChatMessage> Messages, string Source);

/// <summary>The JSONL layouts the platform imports.</summary>
public enum SftFormat
{
    /// <summary>Decided per line by its fields: <c>messages</c>, <c>conversations</c> or <c>instruction</c>.</summary>
    Auto,

    /// <summary>OpenAI chat fine-tuning: <c>{"messages": [{"role": "system|user|assistant", "content": "..."}]}</c>.</summary>
    OpenAiChat,

    /// <summary>ShareGPT: <c>{"conversations": [{"from": "system|human|gpt", "value": "..."}], "system"?: "..."}</c>.</summary>
    ShareGpt,

    /// <summary>Alpaca: <c>{"instruction": "...", "input"?: "...", "output": "...", "system"?: "...", "history"?: [["q", "a"]]}</c>.</summary>
    Alpaca,
}

/// <summary>
/// A line of a dataset that is not a valid example, or an example the chat template cannot render.
/// The message starts with the location ("file:line") and names the offending field.
/// </summary>
public sealed class SftDataException : Exception
{
    public SftDataException(string location, string? field, string reason, Exception? innerException = null)
        : base(field is null ? $"{location}: {reason}" : $"{location}: {field}: {reason}", innerException)
    {
        Location = location;
        Field = field;
        Reason = reason;
    }

    /// <summary>"file:line" of the example.</summary>
    public string Location { get; }

    /// <summary>The JSON path of the offending field (e.g. <c>messages[2].content</c>), or null for the whole line.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }
}
