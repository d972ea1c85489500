namespace ChatPlatform.Core.Dedup;

/// <summary>The set of overlapping character or word n-grams of a normalised text.</summary>
public static class Shingles
{
    public static HashSet<string> Of(string normalizedText, int size, bool words)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (words)
        {
            var tokens = normalizedText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // A text shorter than one shingle is still one shingle, so it can match itself.
            if (tokens.Length <= size) { if (tokens.Length > 0) set.Add(string.Join(' ', tokens)); return set; }
            for (var i = 0; i + size <= tokens.Length; i++) set.Add(string.Join(' ', tokens, i, size));
            return set;
        }
        if (normalizedText.Length <= size) { if (normalizedText.Length > 0) set.Add(normalizedText); return set; }
        for (var i = 0; i + size <= normalizedText.Length; i++) set.Add(normalizedText.Substring(i, size));
        return set;
    }
}
