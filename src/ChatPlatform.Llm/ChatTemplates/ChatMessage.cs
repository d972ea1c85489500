namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// One chat turn as a template sees it: <c>message['role']</c> and <c>message['content']</c>.
/// </summary>
/// <remarks>
/// <see cref="AdditionalProperties"/> adds further keys to the message dict for templates that read them
/// (<c>tool_calls</c>, <c>tool_call_id</c>, <c>name</c>, <c>reasoning_content</c>). Values follow the same rules
/// as render variables: strings, numbers, booleans, null, dictionaries, lists or System.Text.Json values.
/// </remarks>
public sealed record ChatMessage(string Role, string Content)
{
    public IReadOnlyDictionary<string, object?>? AdditionalProperties { get; init; }
}
