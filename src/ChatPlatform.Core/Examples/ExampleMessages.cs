using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Examples;

/// <summary>The shape every SFT example must have, whatever produced it (generation, an edit, an import).</summary>
public static class ExampleMessages
{
    public static readonly IReadOnlySet<string> Roles = new HashSet<string>(StringComparer.Ordinal) { "system", "user", "assistant" };

    /// <summary>
    /// Null when the messages form a trainable example: known roles, non-empty content, an optional leading system
    /// message, at least one user and one assistant message, ending on the assistant. Otherwise what is wrong.
    /// </summary>
    public static string? Problem(IReadOnlyList<ExampleMessage> messages)
    {
        if (messages.Count == 0) return "no messages";
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            if (!Roles.Contains(m.Role)) return $"message {i + 1}: unknown role '{m.Role}' (system, user or assistant)";
            if (string.IsNullOrWhiteSpace(m.Content)) return $"message {i + 1}: empty content";
            if (m.Role == "system" && i != 0) return $"message {i + 1}: a system message may only come first";
        }
        if (!messages.Any(m => m.Role == "user")) return "no user message";
        if (messages[^1].Role != "assistant") return "the last message must be the assistant's";
        return null;
    }

    public static void Validate(IReadOnlyList<ExampleMessage> messages)
    {
        if (Problem(messages) is { } problem) throw new ArgumentException($"invalid example: {problem}");
    }

    public static int Length(IEnumerable<ExampleMessage> messages) => messages.Sum(m => m.Content.Length);
}
