namespace ChatPlatform.Core.Examples;

/// <summary>
/// Which support conversations become SFT examples and how. Defaults: every resolution (unresolved ones are
/// flagged, not dropped), no satisfaction minimum, every language, examples of 20 to 6,000 characters, threads
/// longer than that split, no system prompt.
/// </summary>
/// <param name="ResolvedOnly">Skip tickets whose resolution is not Resolved (reason "not-resolved").</param>
/// <param name="MinSatisfaction">Skip tickets rated below this (1-5); tickets without a rating pass (reason "low-satisfaction").</param>
/// <param name="Languages">ISO 639-1 codes to keep; null keeps all. Tickets of unknown language pass (reason "language").</param>
/// <param name="MinExampleChars">Skip examples with less text than this, all messages together (reason "too-short").</param>
/// <param name="MaxExampleChars">The split budget: a thread longer than this is split between exchanges; one exchange
/// longer than this alone is skipped (reason "too-long").</param>
/// <param name="ShortAnswerChars">An assistant message shorter than this is flagged "short-answer".</param>
/// <param name="SystemPrompt">Prepended as a system message to every example when set (one per deployment).</param>
public sealed record ConversationExampleOptions(
    bool ResolvedOnly = false,
    int? MinSatisfaction = null,
    IReadOnlySet<string>? Languages = null,
    int MinExampleChars = 20,
    int MaxExampleChars = 6000,
    int ShortAnswerChars = 40,
    string? SystemPrompt = null)
{
    public void Validate()
    {
        if (MinSatisfaction is < 1 or > 5) throw new ArgumentException($"minimum satisfaction must be 1-5, got {MinSatisfaction}");
        if (MinExampleChars < 0) throw new ArgumentException($"minimum example length must not be negative, got {MinExampleChars}");
        if (MaxExampleChars <= MinExampleChars)
            throw new ArgumentException($"maximum example length ({MaxExampleChars}) must exceed the minimum ({MinExampleChars})");
    }
}
