using System.Globalization;
using System.Text;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// Character predicates with the meaning Rust's <c>char</c> methods have, since Hugging Face's
/// tokenizers (Rust) define whitespace, punctuation and "word" characters through them.
/// </summary>
internal static class CharClasses
{
    /// <summary>Rust <c>char::is_whitespace</c>: the Unicode White_Space property.</summary>
    public static bool IsWhitespace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A)
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    public static UnicodeCategory Category(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp);

    /// <summary>Rust <c>char::is_numeric</c>: general categories Nd, Nl and No.</summary>
    public static bool IsNumeric(int cp) => Category(cp) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Unicode punctuation (general category P*), as the unicode_categories crate's is_punctuation.</summary>
    public static bool IsPunctuation(int cp) => Category(cp) is UnicodeCategory.ConnectorPunctuation
        or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.OtherPunctuation;

    /// <summary>BERT's punctuation: every ASCII punctuation character (including $+&lt;=&gt;^`|~) or Unicode P*.</summary>
    public static bool IsBertPunctuation(int cp) =>
        cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126) || IsPunctuation(cp);

    /// <summary>General category C (Cc, Cf, Cs, Co, Cn): BERT's clean_text removes these.</summary>
    public static bool IsOther(int cp) => Category(cp) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    public static bool IsNonSpacingMark(int cp) => Category(cp) == UnicodeCategory.NonSpacingMark;

    /// <summary>
    /// Rust <c>char::to_lowercase</c>: the full lowercase mapping. .NET's invariant casing maps
    /// U+0130 (İ) to itself, but Unicode (and Rust) lowercase it to "i̇" (i + U+0307).
    /// </summary>
    public static void AppendLowercase(StringBuilder sb, Rune rune)
    {
        if (rune.Value == 0x130) sb.Append("i\u0307");
        else AppendRune(sb, Rune.ToLowerInvariant(rune));
    }

    /// <summary>Appends a code point without allocating a string for it.</summary>
    public static void AppendRune(StringBuilder sb, Rune rune)
    {
        if (rune.IsBmp) sb.Append((char)rune.Value);
        else sb.Append(rune.ToString());
    }

    public static string ToLowercase(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) AppendLowercase(sb, rune);
        return sb.ToString();
    }
}
