using System.Text.RegularExpressions;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// Turns free text into a safe FTS5 MATCH expression. User text is never passed through as FTS syntax: it is cut into
/// words (letters, digits, underscores), each word is quoted as an FTS string (so AND, OR, NOT, NEAR, quotes,
/// parentheses, '-', '*', ':' and '^' are all literal), and the words are OR-ed so BM25 ranks partial matches.
/// Very common English words are dropped when other words remain: they match nearly every chunk, add nothing to
/// the ranking and make the query scan every row.
/// </summary>
public static partial class FtsQuery
{
    private const int MaxTerms = 32;

    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "is", "it",
        "my", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why", "with", "you", "your",
    };

    /// <summary>The MATCH expression, or null when the text has no searchable word.</summary>
    public static string? Build(string text) => Any(Words(text));

    /// <summary>A MATCH expression for rows with any of these words (from <see cref="Words"/>), or null for none.</summary>
    public static string? Any(IReadOnlyList<string> words) =>
        words.Count == 0 ? null : string.Join(" OR ", words.Select(w => $"\"{w}\""));

    /// <summary>The words a query searches for: distinct, stop words dropped when others remain, at most 32.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var content = words.Where(w => !StopWords.Contains(w)).ToList();
        if (content.Count > 0) words = content;
        return words.Take(MaxTerms).ToList();
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex Word();
}
