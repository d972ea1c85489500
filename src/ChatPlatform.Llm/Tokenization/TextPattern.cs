using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// The "pattern" of Split, Replace and their decoders: <c>{"String": "..."}</c> (a literal) or
/// <c>{"Regex": "..."}</c>.
/// </summary>
/// <remarks>
/// .NET's Regex works on UTF-16 code units, so <c>\p{L}</c> does not match a supplementary-plane letter
/// (U+20000 and up), while Hugging Face's regex engines match code points. Before matching, each surrogate
/// pair is therefore replaced by one BMP stand-in of the same general category, and match positions are
/// mapped back; patterns that match single categories (\p{L}, \p{N}, \s, [^...]) then see the same
/// characters Hugging Face does.
/// </remarks>
internal sealed class TextPattern
{
    private readonly string? _literal;
    private readonly Regex? _regex;

    private TextPattern(string? literal, Regex? regex)
    {
        _literal = literal;
        _regex = regex;
    }

    public static TextPattern Literal(string text) => new(text, null);

    public static TextPattern FromRegex(string pattern) => new(null, new Regex(pattern, RegexOptions.CultureInvariant));

    /// <summary>Parses <c>{"String": ..}</c> or <c>{"Regex": ..}</c> at <paramref name="field"/>.</summary>
    public static TextPattern Parse(JsonFields owner, string field)
    {
        var p = owner.RequiredObject(field);
        if (p.String("String") is { } literal) return Literal(literal);
        if (p.String("Regex") is { } regex)
        {
            try { return FromRegex(regex); }
            catch (ArgumentException e) { throw p.Error("Regex", $"is not a valid regular expression: {e.Message}"); }
        }
        throw owner.Error(field, "must have a \"String\" or a \"Regex\"");
    }

    /// <summary>Non-overlapping matches as (start, length) in UTF-16 units of <paramref name="text"/>.</summary>
    public List<(int Start, int Length)> Matches(string text)
    {
        var result = new List<(int, int)>();
        if (text.Length == 0) return result;
        if (_literal is not null)
        {
            if (_literal.Length == 0) return result;
            for (int i = text.IndexOf(_literal, StringComparison.Ordinal); i >= 0; i = text.IndexOf(_literal, i + _literal.Length, StringComparison.Ordinal))
            {
                result.Add((i, _literal.Length));
            }
            return result;
        }
        var (mapped, toOriginal) = MapSupplementary(text);
        foreach (Match m in _regex!.Matches(mapped))
        {
            if (toOriginal is null) { result.Add((m.Index, m.Length)); continue; }
            int start = toOriginal[m.Index], end = toOriginal[m.Index + m.Length];
            result.Add((start, end - start));
        }
        return result;
    }

    public string ReplaceAll(string text, string replacement)
    {
        var matches = Matches(text);
        if (matches.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        int prev = 0;
        foreach (var (start, length) in matches)
        {
            sb.Append(text, prev, start - prev).Append(replacement);
            prev = start + length;
        }
        return sb.Append(text, prev, text.Length - prev).ToString();
    }

    // Returns the text with each surrogate pair replaced by one stand-in character, and a map from
    // positions in that string (0..length inclusive) to positions in the original; null when no pairs.
    private static (string Mapped, int[]? ToOriginal) MapSupplementary(string text)
    {
        int firstSurrogate = -1;
        for (int i = 0; i < text.Length; i++) if (char.IsSurrogate(text[i])) { firstSurrogate = i; break; }
        if (firstSurrogate < 0) return (text, null);

        var sb = new StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            map.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]))));
                i++;
            }
            else sb.Append(text[i]);
        }
        map.Add(text.Length);
        return (sb.ToString(), map.ToArray());
    }

    // One BMP character per general category, chosen to be unlikely as a literal in a tokenizer pattern.
    private static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => 'Ꭰ',
        UnicodeCategory.LowercaseLetter => 'ꭰ',
        UnicodeCategory.TitlecaseLetter => 'ǅ',
        UnicodeCategory.ModifierLetter => 'ꜗ',
        UnicodeCategory.OtherLetter => 'ꀀ',
        UnicodeCategory.NonSpacingMark => '\u0951',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '꘠',
        UnicodeCategory.LetterNumber => 'ↀ',
        UnicodeCategory.OtherNumber => '௰',
        UnicodeCategory.ConnectorPunctuation => '︳',
        UnicodeCategory.DashPunctuation => '᐀',
        UnicodeCategory.OpenPunctuation => '⁅',
        UnicodeCategory.ClosePunctuation => '⁆',
        UnicodeCategory.InitialQuotePunctuation => '⸂',
        UnicodeCategory.FinalQuotePunctuation => '⸃',
        UnicodeCategory.OtherPunctuation => '꛳',
        UnicodeCategory.MathSymbol => '⨀',
        UnicodeCategory.CurrencySymbol => '₰',
        UnicodeCategory.ModifierSymbol => '꜀',
        UnicodeCategory.OtherSymbol => '꒐',
        UnicodeCategory.Format => '\u2061',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
