namespace ChatPlatform.Core.Datasets;

/// <summary>
/// JSONL dataset formats, one example per line. OpenAI chat: <c>{"messages":[{"role","content"}]}</c>. ShareGPT:
/// <c>{"conversations":[{"from":"system|human|gpt","value"}]}</c>. Alpaca: <c>{"instruction","input","output"}</c>,
/// with LLaMA-Factory's optional <c>"system"</c> and <c>"history":[[user, assistant], ...]</c> for earlier turns.
/// </summary>
public enum DatasetFormat { OpenAI, ShareGpt, Alpaca }

public static class DatasetFormats
{
    public static DatasetFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "openai" or "chat" or "messages" => DatasetFormat.OpenAI,
        "sharegpt" => DatasetFormat.ShareGpt,
        "alpaca" => DatasetFormat.Alpaca,
        _ => throw new ArgumentException($"unknown dataset format '{name}' (openai, sharegpt or alpaca)"),
    };
}

/// <summary>A malformed dataset line: an <see cref="InvalidDataException"/> whose message names file, 1-based line and field.</summary>
public static class DatasetLineError
{
    public static InvalidDataException At(string file, int line, string message) => new($"{file}:{line}: {message}");
}
