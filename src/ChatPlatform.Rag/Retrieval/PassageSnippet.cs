using System.Text;
using System.Text.RegularExpressions;
using ChatPlatform.Rag.Indexing;

namespace ChatPlatform.Rag.Retrieval;

/// <summary>
/// The excerpt shown with a retrieved passage: the window of <see cref="WindowTokens"/> words holding the most distinct
/// query words, those words marked [like this], cut ends marked with …; a passage without any query word (a dense-only
/// hit) shows its beginning. Built in memory from the chunk text for the few passages returned, instead of FTS5's
/// snippet(), which re-runs the full-text query for every row it is asked about (most of BM25's latency). Matching is
/// for display only and approximate to the index's porter stemming: case and accents are folded and a few common
/// English endings (-s, -es, -ed, -ing, -e) are ignored; ranking is FTS5's own.
/// </summary>
public static partial class PassageSnippet
{
    public const int WindowTokens = 16;
    private const int PlainCharacters = 240;

    // Accent folding for Latin letters, as FTS5's unicode61 tokenizer does (string.Normalize is unavailable: the
    // platform runs with invariant globalization).
    private const string AccentedLetters = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž";
    private const string BaseLetters = "aaaaaaaaacccddeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz";

    public static string For(string text, string query)
    {
        var terms = FtsQuery.Words(query).Select(Key).ToHashSet(StringComparer.Ordinal);
        var tokens = Word().Matches(text);
        if (terms.Count == 0 || tokens.Count == 0) return Plain(text);
        var keys = new string?[tokens.Count];
        var any = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var key = Key(tokens[i].Value);
            if (terms.Contains(key))
            {
                keys[i] = key;
                any = true;
            }
        }
        if (!any) return Plain(text);

        // Slide the window: most distinct query words first, then most occurrences; the earliest window wins ties.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int distinct = 0, hits = 0, bestStart = 0, bestDistinct = -1, bestHits = -1;
        var window = Math.Min(WindowTokens, tokens.Count);
        for (var end = 0; end < tokens.Count; end++)
        {
            if (keys[end] is { } added)
            {
                hits++;
                counts[added] = counts.GetValueOrDefault(added) + 1;
                if (counts[added] == 1) distinct++;
            }
            var start = end - window + 1;
            if (start > 0 && keys[start - 1] is { } removed)
            {
                hits--;
                if (--counts[removed] == 0) distinct--;
            }
            if (start >= 0 && (distinct > bestDistinct || (distinct == bestDistinct && hits > bestHits)))
                (bestStart, bestDistinct, bestHits) = (start, distinct, hits);
        }

        var snippet = new StringBuilder();
        if (bestStart > 0) snippet.Append('…');
        else snippet.Append(Flatten(text.AsSpan(0, tokens[0].Index)).TrimStart());
        for (var i = bestStart; i < bestStart + window; i++)
        {
            if (i > bestStart)
            {
                var gapStart = tokens[i - 1].Index + tokens[i - 1].Length;
                snippet.Append(Flatten(text.AsSpan(gapStart, tokens[i].Index - gapStart)));
            }
            if (keys[i] is not null) snippet.Append('[').Append(tokens[i].Value).Append(']');
            else snippet.Append(tokens[i].Value);
        }
        var last = tokens[bestStart + window - 1];
        if (bestStart + window < tokens.Count) snippet.Append('…');
        else snippet.Append(Flatten(text.AsSpan(last.Index + last.Length)).TrimEnd());
        return snippet.ToString();
    }

    /// <summary>The text's beginning on one line, at most <see cref="PlainCharacters"/> characters.</summary>
    public static string Plain(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= PlainCharacters ? flat : flat[..PlainCharacters].TrimEnd() + "…";
    }

    private static string Flatten(ReadOnlySpan<char> gap) => Spaces().Replace(gap.ToString(), " ");

    /// <summary>Case- and accent-folded word with a light English suffix strip: "Flashing" and "flashes" both give "flash".</summary>
    private static string Key(string word)
    {
        var folded = word.ToLowerInvariant();
        if (!folded.All(char.IsAscii))
            folded = string.Create(folded.Length, folded, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    var at = AccentedLetters.IndexOf(source[i], StringComparison.Ordinal);
                    span[i] = at >= 0 ? BaseLetters[at] : source[i];
                }
            });
        if (folded.Length > 5 && folded.EndsWith("ing", StringComparison.Ordinal)) folded = folded[..^3];
        else if (folded.Length > 4 && folded.EndsWith("ed", StringComparison.Ordinal)) folded = folded[..^2];
        else if (folded.Length > 4 && folded.EndsWith("es", StringComparison.Ordinal)) folded = folded[..^2];
        else if (folded.Length > 3 && folded.EndsWith('s') && !folded.EndsWith("ss", StringComparison.Ordinal)) folded = folded[..^1];
        if (folded.Length > 3 && folded.EndsWith('e')) folded = folded[..^1];
        return folded;
    }

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
