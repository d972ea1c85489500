namespace ChatPlatform.Llm.Generation;

/// <summary>
/// Finds stop strings in streamed text. Text that might be the start of a stop string is held back until the
/// next piece decides it, so a stop string is never partly shown to the user.
/// </summary>
public sealed class StopStringMatcher(IReadOnlyList<string> stopStrings)
{
    private readonly string[] stops = stopStrings.Where(s => s.Length > 0).ToArray();
    private string pending = "";

    public bool Stopped { get; private set; }

    /// <summary>Adds a piece; returns the text that is now safe to emit.</summary>
    public string Push(string piece)
    {
        if (Stopped) return "";
        pending += piece;
        var first = -1;
        foreach (var s in stops)
        {
            var at = pending.IndexOf(s, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        if (first >= 0)
        {
            Stopped = true;
            var before = pending[..first];
            pending = "";
            return before;
        }
        var keep = HeldBack();
        var emit = pending[..^keep];
        pending = pending[^keep..];
        return emit;
    }

    /// <summary>The text still held back, released at the end of generation.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : pending;
        pending = "";
        return rest;
    }

    /// <summary>The longest suffix of the pending text that is a proper prefix of some stop string.</summary>
    private int HeldBack()
    {
        var best = 0;
        foreach (var s in stops)
            for (var n = Math.Min(s.Length - 1, pending.Length); n > best; n--)
                if (pending.AsSpan(pending.Length - n).SequenceEqual(s.AsSpan(0, n)))
                {
                    best = n;
                    break;
                }
        return best;
    }
}
