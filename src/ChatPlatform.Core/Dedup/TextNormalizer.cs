using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Dedup;

/// <summary>
/// The text form duplicates are compared in: lowercase, punctuation removed, whitespace collapsed. Two examples
/// that differ only in case, punctuation or spacing share <see cref="Hash"/> (exact duplicates).
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            // Punctuation and symbols carry no meaning for duplicate detection ("router?" == "router").
            if (IsPunctuationOrSymbol(category)) continue;
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The example's text as one normalised string: roles kept, so a question is not the same as an answer.</summary>
    public static string Normalize(IEnumerable<ExampleMessage> messages) =>
        string.Join("\n", messages.Select(m => m.Role + ": " + Normalize(m.Content)));

    /// <summary>SHA-256 (hex, lowercase) of the normalised messages: the example's <c>NormalizedHash</c>.</summary>
    public static string Hash(IEnumerable<ExampleMessage> messages) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(messages))));

    static bool IsPunctuationOrSymbol(UnicodeCategory category) => category is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
        or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
        or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
}
