using System.Text;
using ChatPlatform.Llm.Tokenization.Unicode;

namespace ChatPlatform.Llm.Tokenization.Normalizers;

/// <summary>"Prepend": SentencePiece's dummy prefix ("▁") in front of every non-empty piece.</summary>
internal sealed class PrependNormalizer(string prepend) : INormalizer
{
    public string Prepend { get; } = prepend;

    public string Normalize(string text) => text.Length == 0 ? text : Prepend + text;
}

/// <summary>"Replace": a literal string or a regex replaced everywhere (" " to "▁" for Llama-2/Mistral).</summary>
internal sealed class ReplaceNormalizer(TextPattern pattern, string content) : INormalizer
{
    public string Normalize(string text) => pattern.ReplaceAll(text, content);
}

/// <summary>"NFC", "NFD", "NFKC", "NFKD".</summary>
internal sealed class UnicodeFormNormalizer(UnicodeNormalForm form) : INormalizer
{
    public string Normalize(string text) => UnicodeNormalizer.Normalize(text, form);
}

/// <summary>"Lowercase": the full Unicode lowercase mapping, character by character (as Rust's char::to_lowercase).</summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    public string Normalize(string text) => CharClasses.ToLowercase(text);
}

/// <summary>"Strip": removes leading and/or trailing whitespace.</summary>
internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public string Normalize(string text)
    {
        var runes = text.EnumerateRunes().ToList();
        int start = 0, end = runes.Count;
        if (left) while (start < end && CharClasses.IsWhitespace(runes[start].Value)) start++;
        if (right) while (end > start && CharClasses.IsWhitespace(runes[end - 1].Value)) end--;
        var sb = new StringBuilder(text.Length);
        for (int i = start; i < end; i++) CharClasses.AppendRune(sb, runes[i]);
        return sb.ToString();
    }
}

/// <summary>"StripAccents": drops non-spacing marks (meant to follow NFD, which splits accents off).</summary>
internal sealed class StripAccentsNormalizer : INormalizer
{
    public string Normalize(string text) => RemoveNonSpacingMarks(text);

    public static string RemoveNonSpacingMarks(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!CharClasses.IsNonSpacingMark(rune.Value)) CharClasses.AppendRune(sb, rune);
        }
        return sb.ToString();
    }
}
