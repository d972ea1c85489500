namespace ChatPlatform.Core.Teacher;

/// <summary>
/// An OpenAI-compatible chat endpoint used as the teacher: our own server, Ollama (http://localhost:11434/v1),
/// vLLM (http://host:8000/v1) or OpenAI (https://api.openai.com/v1). The base URL ends before "/chat/completions".
/// </summary>
/// <param name="ApiKey">Sent as the bearer token; local servers accept any non-empty value.</param>
/// <param name="Timeout">Per attempt (default 120 s).</param>
/// <param name="MaxAttempts">Attempts per request, the first included (default 3).</param>
/// <param name="InitialBackoff">Wait before the second attempt, doubled before each further one (default 2 s).</param>
/// <param name="MinGroundedness">Share of an answer's content words that must occur in the source chunk (default 0.6).</param>
/// <param name="QuestionsPerChunk">Question/answer pairs asked for per chunk (default 3).</param>
public sealed record TeacherOptions(
    string BaseUrl,
    string Model,
    string ApiKey,
    TimeSpan? Timeout = null,
    int MaxAttempts = 3,
    TimeSpan? InitialBackoff = null,
    double Temperature = 0.3,
    double MinGroundedness = 0.6,
    int QuestionsPerChunk = 3)
{
    public TimeSpan AttemptTimeout => Timeout ?? TimeSpan.FromSeconds(120);
    public TimeSpan FirstBackoff => InitialBackoff ?? TimeSpan.FromSeconds(2);

    /// <summary>Recorded on every example the teacher wrote: "model@endpoint".</summary>
    public string Identity => $"{Model}@{BaseUrl.TrimEnd('/')}";

    public Uri Endpoint =>
        Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"teacher base URL must be an absolute http(s) URL, got '{BaseUrl}'");

    public void Validate()
    {
        _ = Endpoint;
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("teacher model name is required");
        if (string.IsNullOrWhiteSpace(ApiKey)) throw new ArgumentException("teacher API key is required (any non-empty value for local servers)");
        if (MaxAttempts < 1) throw new ArgumentException($"teacher attempts must be 1 or more, got {MaxAttempts}");
        if (MinGroundedness is < 0 or > 1) throw new ArgumentException($"groundedness must be 0-1, got {MinGroundedness}");
        if (QuestionsPerChunk < 1) throw new ArgumentException($"questions per chunk must be 1 or more, got {QuestionsPerChunk}");
    }
}
