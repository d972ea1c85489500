using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.PreTokenizers;

/// <summary>When Metaspace adds its "▁" in front of a piece.</summary>
internal enum PrependScheme { Always, First, Never }

/// <summary>
/// "Metaspace" (SentencePiece): spaces become "▁"; a "▁" is prepended to pieces that do not start with one
/// (every piece, only the piece at the very start of the input, or none); with <c>split</c> the piece is cut
/// before each "▁".
/// </summary>
internal sealed class MetaspacePreTokenizer(string replacement, PrependScheme scheme, bool split) : IPreTokenizer
{
    public static PrependScheme ParseScheme(JsonFields section)
    {
        // Older files have only add_prefix_space, which meant "always".
        var value = section.String("prepend_scheme") ?? ((section.Bool("add_prefix_space") ?? true) ? "always" : "never");
        return value switch
        {
            "always" => PrependScheme.Always,
            "first" => PrependScheme.First,
            "never" => PrependScheme.Never,
            _ => throw section.Unsupported("prepend_scheme", value),
        };
    }

    public void PreTokenize(PreToken piece, List<PreToken> output)
    {
        var text = piece.Text.Replace(" ", replacement, StringComparison.Ordinal);
        bool prepend = scheme == PrependScheme.Always || (scheme == PrependScheme.First && piece.AtTextStart);
        if (prepend && !text.StartsWith(replacement, StringComparison.Ordinal)) text = replacement + text;
        var replaced = piece with { Text = text };
        if (!split)
        {
            if (text.Length > 0) output.Add(replaced);
            return;
        }
        var matches = new List<(int, int)>();
        for (int i = text.IndexOf(replacement, StringComparison.Ordinal); i >= 0; i = text.IndexOf(replacement, i + replacement.Length, StringComparison.Ordinal))
        {
            matches.Add((i, replacement.Length));
        }
        PieceSplitter.Split(replaced, matches, SplitDelimiterBehavior.MergedWithNext, invert: false, output);
    }
}
