using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.PreTokenizers;

/// <summary>What happens to the matched delimiter when a piece is split (Hugging Face's SplitDelimiterBehavior).</summary>
internal enum SplitDelimiterBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

/// <summary>
/// Turns the matches of a pattern into the pieces Hugging Face's <c>NormalizedString::split</c> produces,
/// for each delimiter behavior, dropping empty pieces.
/// </summary>
internal static class PieceSplitter
{
    public static SplitDelimiterBehavior ParseBehavior(JsonFields section, string field)
    {
        var value = section.RequiredString(field);
        return value switch
        {
            "Removed" => SplitDelimiterBehavior.Removed,
            "Isolated" => SplitDelimiterBehavior.Isolated,
            "MergedWithPrevious" => SplitDelimiterBehavior.MergedWithPrevious,
            "MergedWithNext" => SplitDelimiterBehavior.MergedWithNext,
            "Contiguous" => SplitDelimiterBehavior.Contiguous,
            _ => throw section.Unsupported(field, value),
        };
    }

    /// <summary>Splits by <paramref name="matches"/> (start, length), sorted and non-overlapping.</summary>
    public static void Split(PreToken piece, List<(int Start, int Length)> matches, SplitDelimiterBehavior behavior,
        bool invert, List<PreToken> output)
    {
        var text = piece.Text;
        // Every part of the text, in order, flagged as match or not (NormalizedString's find_matches).
        var parts = new List<(int Start, int End, bool IsMatch)>(matches.Count * 2 + 1);
        int prev = 0;
        foreach (var (start, length) in matches)
        {
            if (start > prev) parts.Add((prev, start, false));
            parts.Add((start, start + length, true));
            prev = start + length;
        }
        if (prev < text.Length) parts.Add((prev, text.Length, false));
        if (invert) for (int i = 0; i < parts.Count; i++) parts[i] = parts[i] with { IsMatch = !parts[i].IsMatch };

        var pieces = new List<(int Start, int End)>(parts.Count);
        switch (behavior)
        {
            case SplitDelimiterBehavior.Removed:
                foreach (var p in parts) if (!p.IsMatch) pieces.Add((p.Start, p.End));
                break;
            case SplitDelimiterBehavior.Isolated:
                foreach (var p in parts) pieces.Add((p.Start, p.End));
                break;
            case SplitDelimiterBehavior.MergedWithPrevious:
            {
                bool previousMatch = false;
                foreach (var p in parts)
                {
                    if (p.IsMatch && !previousMatch && pieces.Count > 0) pieces[^1] = (pieces[^1].Start, p.End);
                    else pieces.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                break;
            }
            case SplitDelimiterBehavior.MergedWithNext:
            {
                bool previousMatch = false;
                for (int i = parts.Count - 1; i >= 0; i--)
                {
                    var p = parts[i];
                    if (p.IsMatch && !previousMatch && pieces.Count > 0) pieces[^1] = (p.Start, pieces[^1].End);
                    else pieces.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                pieces.Reverse();
                break;
            }
            case SplitDelimiterBehavior.Contiguous:
            {
                bool previousMatch = false;
                foreach (var p in parts)
                {
                    if (p.IsMatch == previousMatch && pieces.Count > 0) pieces[^1] = (pieces[^1].Start, p.End);
                    else pieces.Add((p.Start, p.End));
                    previousMatch = p.IsMatch;
                }
                break;
            }
        }
        foreach (var (start, end) in pieces)
        {
            if (end > start) output.Add(new PreToken(text[start..end], piece.AtTextStart && start == 0));
        }
    }

    /// <summary>Each character satisfying <paramref name="predicate"/> is one match.</summary>
    public static List<(int Start, int Length)> CharMatches(string text, Func<int, bool> predicate)
    {
        var matches = new List<(int, int)>();
        for (int i = 0; i < text.Length;)
        {
            int len = char.IsSurrogatePair(text, i) ? 2 : 1;
            int cp = len == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            if (predicate(cp)) matches.Add((i, len));
            i += len;
        }
        return matches;
    }
}
