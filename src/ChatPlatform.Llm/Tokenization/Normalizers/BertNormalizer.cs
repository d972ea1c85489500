using System.Text;
using ChatPlatform.Llm.Tokenization.Unicode;

namespace ChatPlatform.Llm.Tokenization.Normalizers;

/// <summary>
/// "BertNormalizer", in Hugging Face's order: clean the text (drop NUL, U+FFFD and control/format
/// characters, map whitespace to a space), put spaces around CJK ideographs, strip accents (NFD then drop
/// non-spacing marks; defaults to the lowercase flag when null), lowercase.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : INormalizer
{
    public string Normalize(string text)
    {
        if (cleanText) text = CleanText(text);
        if (handleChineseChars) text = SpaceOutChineseChars(text);
        if (stripAccents ?? lowercase)
        {
            text = StripAccentsNormalizer.RemoveNonSpacingMarks(UnicodeNormalizer.Normalize(text, UnicodeNormalForm.Nfd));
        }
        if (lowercase) text = CharClasses.ToLowercase(text);
        return text;
    }

    private static string CleanText(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            int cp = rune.Value;
            if (cp is 0 or 0xFFFD) continue;
            // Control characters go first (so U+0085, U+000B and U+000C are dropped), except \t \n \r,
            // which are whitespace and become a space like every other whitespace character.
            if (cp is not ('\t' or '\n' or '\r') && CharClasses.IsOther(cp)) continue;
            if (CharClasses.IsWhitespace(cp)) sb.Append(' ');
            else CharClasses.AppendRune(sb, rune);
        }
        return sb.ToString();
    }

    private static string SpaceOutChineseChars(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            bool chinese = IsChineseChar(rune.Value);
            if (chinese) sb.Append(' ');
            CharClasses.AppendRune(sb, rune);
            if (chinese) sb.Append(' ');
        }
        return sb.ToString();
    }

    // The CJK Unified Ideographs blocks BERT treats as words of their own (not Hangul, kana).
    private static bool IsChineseChar(int cp) => cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F)
        or (>= 0x2B920 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
