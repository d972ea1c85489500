namespace ChatPlatform.Web.OpenAi;

// OpenAI's response shapes for /v1/chat/completions (serialized with OpenAiJson: snake_case, nulls left out).

public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record ChatCompletionMessage(string Role, string Content);

public sealed record ChatCompletionChoice(int Index, ChatCompletionMessage Message, string FinishReason);

public sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatCompletionChoice> Choices, Usage Usage)
{
    public string Object => "chat.completion";
}

public sealed record ChatCompletionDelta(string? Role = null, string? Content = null);

public sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, string? FinishReason = null);

public sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChatCompletionChunkChoice> Choices, Usage? Usage = null)
{
    public string Object => "chat.completion.chunk";
}
