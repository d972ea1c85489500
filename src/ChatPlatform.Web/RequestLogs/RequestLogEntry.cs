using System.Text;

namespace ChatPlatform.Web.RequestLogs;

/// <summary>
/// What one /v1 or widget request did, filled in while it runs and written as one event when it ends
/// (<see cref="RequestLogging"/>). Handlers set the model and outcome; <see cref="MeteredChatClient"/> sets tokens, the
/// time to the first token and the finish reason. <see cref="Current"/> is the entry of the request on this async flow.
/// </summary>
public sealed class RequestLogEntry(bool captureContents, long startTimestamp)
{
    private static readonly AsyncLocal<RequestLogEntry?> current = new();
    private readonly StringBuilder? completion = captureContents ? new StringBuilder() : null;

    public static RequestLogEntry? Current
    {
        get => current.Value;
        internal set => current.Value = value;
    }

    public string? Model { get; set; }
    public int? PromptTokens { get; set; }
    /// <summary>Of the prompt tokens, those the prompt cache supplied.</summary>
    public int? CachedPromptTokens { get; set; }
    public int? CompletionTokens { get; set; }
    public string? FinishReason { get; set; }
    /// <summary>How the request ended when it is not plain from the status: "client disconnected", "timeout", an error.</summary>
    public string? Outcome { get; set; }
    public long? FirstTokenMs { get; private set; }
    /// <summary>The messages as the model received them; only with RequestLogs:IncludeMessageContents.</summary>
    public string? Prompt { get; private set; }
    public string? Completion => completion?.ToString();
    public bool CapturesContents => captureContents;

    internal void FirstToken(long timestamp)
    {
        if (FirstTokenMs is null) FirstTokenMs = (long)TimeSpanBetween(startTimestamp, timestamp).TotalMilliseconds;
    }

    internal void SetPrompt(string prompt)
    {
        if (captureContents) Prompt = prompt;
    }

    internal void AppendCompletion(string text) => completion?.Append(text);

    private static TimeSpan TimeSpanBetween(long from, long to) => System.Diagnostics.Stopwatch.GetElapsedTime(from, to);
}
