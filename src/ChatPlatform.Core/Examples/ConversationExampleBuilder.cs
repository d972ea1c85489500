using System.Text.RegularExpressions;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Examples;

/// <summary>What one conversation yielded: examples, and a reason for each part that yielded none.</summary>
public sealed record ConversationExamples(IReadOnlyList<ExampleCandidate> Examples, IReadOnlyList<string> Skipped);

/// <summary>
/// Turns one support ticket into chat examples: customer turns become user messages, agent turns assistant messages
/// (consecutive turns of one side merged, internal notes and system events never used), mail noise stripped, the
/// thread trimmed to start on the customer and end on the agent, and split where the customer opens a new question
/// or the length budget is reached.
/// </summary>
public static partial class ConversationExampleBuilder
{
    public const string SourceKind = "conversation";

    public static ConversationExamples Build(SupportConversation conversation, ConversationExampleOptions options)
    {
        if (SkipReason(conversation, options) is { } reason) return new([], [reason]);

        var exchanges = Exchanges(conversation.Turns);
        if (exchanges.Count == 0) return new([], [SkipReasons.NoExchange]);

        var examples = new List<ExampleCandidate>();
        var skipped = new List<string>();
        var segments = Segments(exchanges, options.MaxExampleChars);
        foreach (var segment in segments)
        {
            var length = segment.Sum(e => e.User.Length + e.Assistant.Length);
            if (length < options.MinExampleChars) { skipped.Add(SkipReasons.TooShort); continue; }
            if (length > options.MaxExampleChars) { skipped.Add(SkipReasons.TooLong); continue; }

            var messages = new List<ExampleMessage>();
            if (!string.IsNullOrWhiteSpace(options.SystemPrompt)) messages.Add(new("system", options.SystemPrompt.Trim()));
            foreach (var (user, assistant) in segment)
            {
                messages.Add(new("user", user));
                messages.Add(new("assistant", assistant));
            }
            examples.Add(new ExampleCandidate(messages, ExampleOrigin.Conversation, SourceKind,
                conversation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Flags(conversation, segment, segments.Count > 1, options)));
        }
        return new(examples, skipped);
    }

    static string? SkipReason(SupportConversation c, ConversationExampleOptions options)
    {
        if (options.ResolvedOnly && c.Resolution != Resolution.Resolved) return SkipReasons.NotResolved;
        if (options.MinSatisfaction is { } min && c.Satisfaction is { } s && s < min) return SkipReasons.LowSatisfaction;
        if (options.Languages is { } languages && c.Language is { } language && !languages.Contains(language, StringComparer.OrdinalIgnoreCase))
            return SkipReasons.Language;
        return null;
    }

    /// <summary>Cleaned customer/agent blocks paired as (user, assistant), from the first customer block to the last agent block.</summary>
    static List<(string User, string Assistant)> Exchanges(IEnumerable<ConversationTurn> turns)
    {
        var blocks = new List<(TurnRole Role, string Text)>();
        foreach (var turn in turns.OrderBy(t => t.Ordinal))
        {
            if (turn.Role is not (TurnRole.Customer or TurnRole.Agent)) continue; // internal notes, system events
            var text = TurnTextCleaner.Clean(turn.Text);
            if (text.Length == 0) continue;
            if (blocks.Count > 0 && blocks[^1].Role == turn.Role) blocks[^1] = (turn.Role, blocks[^1].Text + "\n\n" + text);
            else blocks.Add((turn.Role, text));
        }
        // The model answers customers: a thread starts on the customer and ends on the agent.
        while (blocks.Count > 0 && blocks[0].Role == TurnRole.Agent) blocks.RemoveAt(0);
        if (blocks.Count > 0 && blocks[^1].Role == TurnRole.Customer) blocks.RemoveAt(blocks.Count - 1);

        var exchanges = new List<(string, string)>();
        for (var i = 0; i + 1 < blocks.Count; i += 2) exchanges.Add((blocks[i].Text, blocks[i + 1].Text));
        return exchanges;
    }

    /// <summary>
    /// Consecutive exchanges that belong together: a new segment starts where the customer opens a new question
    /// ("Another question: ...", "Also, ...") or where adding the exchange would exceed the budget.
    /// </summary>
    static List<List<(string User, string Assistant)>> Segments(List<(string User, string Assistant)> exchanges, int budget)
    {
        var segments = new List<List<(string, string)>>();
        var current = new List<(string, string)>();
        var length = 0;
        foreach (var (user, assistant) in exchanges)
        {
            var newTopic = NewQuestion().Match(user);
            var size = user.Length + assistant.Length;
            if (current.Count > 0 && (newTopic.Success || length + size > budget))
            {
                segments.Add(current);
                current = [];
                length = 0;
            }
            // The marker only made sense after the earlier exchange; the new example starts with the question itself.
            var question = newTopic.Success && newTopic.Length < user.Length ? Capitalize(user[newTopic.Length..]) : user;
            current.Add((question, assistant));
            length += question.Length + assistant.Length;
        }
        if (current.Count > 0) segments.Add(current);
        return segments;
    }

    static IReadOnlyList<string> Flags(SupportConversation c, List<(string User, string Assistant)> segment, bool split, ConversationExampleOptions options)
    {
        var flags = new List<string>();
        if (segment.Any(e => ExampleFlags.IsLowValueReply(e.Assistant))) flags.Add(ExampleFlags.LowValueReply);
        if (c.Resolution is Resolution.Unresolved or Resolution.Escalated) flags.Add(ExampleFlags.Unresolved);
        if (segment.Any(e => e.Assistant.Length < options.ShortAnswerChars)) flags.Add(ExampleFlags.ShortAnswer);
        if (split) flags.Add(ExampleFlags.SplitThread);
        return flags;
    }

    static string Capitalize(string s) => s.Length > 1 && char.IsLower(s[0]) && !char.IsUpper(s[1]) ? char.ToUpperInvariant(s[0]) + s[1..] : s;

    [GeneratedRegex(@"^\s*(another question|one more question|one more thing|a different question|a separate question|new question|unrelated( question)?|separately|also|besides that|on another note|on a different note|P\.?S\.?)\s*[:,.\-—–]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex NewQuestion();
}
