using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Examples;

/// <summary>
/// Quality flags a reviewer sees on an example. Flags never drop an example: a person decides.
/// </summary>
public static partial class ExampleFlags
{
    /// <summary>An assistant reply that defers instead of answering ("let me check", "escalating to tier 2").</summary>
    public const string LowValueReply = "low-value-reply";
    /// <summary>The ticket was not resolved (unresolved or escalated): the answer may not have helped.</summary>
    public const string Unresolved = "unresolved";
    /// <summary>An assistant reply shorter than the configured minimum.</summary>
    public const string ShortAnswer = "short-answer";
    /// <summary>One part of a thread split at a topic boundary or the length budget.</summary>
    public const string SplitThread = "split-thread";
    /// <summary>A question rewritten by the teacher model from another example (data augmentation).</summary>
    public const string Paraphrase = "paraphrase";

    public static bool IsLowValueReply(string text) => LowValuePhrase().IsMatch(text);

    [GeneratedRegex(@"\b(let me (check|look into|find out|verify|see)|I('ll| will) (check|look into|get back to you|follow up|find out|escalate)|get back to you|escalat(e|ed|ing) (this |it |your (ticket|case|request) )?to (tier|level|the) ?\w*|forward(ed|ing)? (this |it |your (ticket|case|request) )?to (our|the)|(we are|we're|I am|I'm) (still )?(looking into|investigating|checking)|please (bear|be patient) with)", RegexOptions.IgnoreCase)]
    private static partial Regex LowValuePhrase();
}
