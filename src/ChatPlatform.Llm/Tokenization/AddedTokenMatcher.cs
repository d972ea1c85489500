using System.Text.RegularExpressions;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// Finds added tokens in a text the way Hugging Face's AddedVocabulary does: leftmost-longest,
/// non-overlapping matches (its Aho-Corasick automaton), then the single_word, lstrip and rstrip rules.
/// A match rejected by single_word is skipped whole, as in Hugging Face.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private static readonly Regex WordCharAtStart = new(@"^\w", RegexOptions.CultureInvariant);
    private static readonly Regex WordCharAtEnd = new(@"\w$", RegexOptions.CultureInvariant);

    // Patterns grouped by first character, longest first.
    private readonly Dictionary<char, List<(string Pattern, AddedToken Token)>> _byFirstChar = new();

    public AddedTokenMatcher(IEnumerable<(string Pattern, AddedToken Token)> patterns)
    {
        foreach (var (pattern, token) in patterns)
        {
            if (pattern.Length == 0) continue;
            if (!_byFirstChar.TryGetValue(pattern[0], out var list)) _byFirstChar[pattern[0]] = list = [];
            if (!list.Exists(p => p.Pattern == pattern)) list.Add((pattern, token));
        }
        foreach (var list in _byFirstChar.Values) list.Sort((a, b) => b.Pattern.Length.CompareTo(a.Pattern.Length));
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>The text cut into (token or null, start, end) parts covering it entirely.</summary>
    public List<(AddedToken? Token, int Start, int End)> Split(string text)
    {
        var parts = new List<(AddedToken?, int, int)>();
        if (text.Length == 0) return parts;
        int startOffset = 0;
        int i = 0;
        while (i < text.Length)
        {
            var match = LongestAt(text, i);
            if (match is null) { i++; continue; }
            var (pattern, token) = match.Value;
            int start = i, stop = i + pattern.Length;
            i = stop;

            if (token.SingleWord)
            {
                bool wordBefore = start > 0 && WordCharAtEnd.IsMatch(text[..start]);
                bool wordAfter = stop < text.Length && WordCharAtStart.IsMatch(text[stop..]);
                if (wordBefore || wordAfter) continue;
            }
            if (token.LStrip)
            {
                int s = start;
                while (s > 0 && char.IsWhiteSpace(text[s - 1])) s--;
                start = Math.Max(s, startOffset); // spaces already taken by the previous match stay there
            }
            if (token.RStrip)
            {
                while (stop < text.Length && char.IsWhiteSpace(text[stop])) stop++;
                i = Math.Max(i, stop);
            }
            if (startOffset < start) parts.Add((null, startOffset, start));
            parts.Add((token, start, stop));
            startOffset = stop;
        }
        if (startOffset < text.Length) parts.Add((null, startOffset, text.Length));
        return parts;
    }

    private (string Pattern, AddedToken Token)? LongestAt(string text, int i)
    {
        if (!_byFirstChar.TryGetValue(text[i], out var candidates)) return null;
        foreach (var c in candidates)
        {
            if (string.CompareOrdinal(text, i, c.Pattern, 0, c.Pattern.Length) == 0) return c;
        }
        return null;
    }
}
