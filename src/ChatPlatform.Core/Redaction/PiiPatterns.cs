using System.Buffers;
using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Redaction;

/// <summary>
/// Candidate patterns, source-generated. They are deliberately a little wide; <see cref="PiiValidators"/> then checks
/// each candidate (Luhn, mod-97, digit counts, IP parsing) so that dates, versions, prices and product codes survive.
/// </summary>
internal static partial class PiiPatterns
{
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    public static partial Regex Email();

    /// <summary>
    /// A run of digits with phone separators, optionally after + or 00 or an opening parenthesis. Not after a letter,
    /// '-', '/', '.' or ',' (product codes "PW-200", versions, prices) and not followed by one.
    /// </summary>
    [GeneratedRegex(@"(?<![\w\-/.,+])(?:\+|\b00|\()?\d[\d ()./\-]{5,22}\d(?![\w\-/]|[.,]\d)", RegexOptions.CultureInvariant)]
    public static partial Regex PhoneCandidate();

    /// <summary>13–19 digits, optionally grouped by single spaces or dashes.</summary>
    [GeneratedRegex(@"(?<![\w\-])\d(?:[ \-]?\d){12,18}(?![\w\-]|[.,]\d)", RegexOptions.CultureInvariant)]
    public static partial Regex CardCandidate();

    /// <summary>Country code, check digits, then 11–30 alphanumerics, optionally in groups of four.</summary>
    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    public static partial Regex IbanCandidate();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)", RegexOptions.CultureInvariant)]
    public static partial Regex IPv4();

    /// <summary>Hex groups joined by colons (at least two), optionally ending in a dotted IPv4; parsed to confirm.</summary>
    [GeneratedRegex(@"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?![\w:])", RegexOptions.CultureInvariant)]
    public static partial Regex IPv6Candidate();

    /// <summary>
    /// Conservative postal addresses, in three patterns so that the two street forms only run when a street word is in
    /// the text (<see cref="StreetWords"/>, <see cref="StreetSuffixes"/>): "221B Baker Street" (English, number first,
    /// a known street word) and "Hauptstraße 5" (German/Dutch street suffix + number), each optionally followed by
    /// ", 10115 Berlin" or ", Springfield, IL 62704"; then postcodes with a city: a UK postcode ("SW1A 1AA"), a US
    /// "City, ST 12345", and ", 75001 Paris" (postcode + capitalised city after a comma).
    /// </summary>
    [GeneratedRegex("""
        \b\d{1,5}[A-Za-z]?(?:\s[A-Z][a-z]+){1,3}\s(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Highway)\b\.?(?:,?\s(?:Apt|Suite|Unit|Flat)\.?\s?\w+)?(?:,\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?(?:,?\s[A-Z]{2}\s\d{5}(?:-\d{4})?)?
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    public static partial Regex NumberFirstStreet();

    [GeneratedRegex("""
        \b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|laan|straat|gracht)\s\d{1,4}[a-z]?\b(?:,\s\d{4,5}\s[A-ZÄÖÜ][a-zäöüß]+)?
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    public static partial Regex NameFirstStreet();

    [GeneratedRegex("""
        \b[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}\b
        |\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s[A-Z]{2}\s\d{5}(?:-\d{4})?\b
        |(?<=,\s?)\d{4,5}\s[A-ZÄÖÜ][a-zäöüßéè]+(?:\s[A-ZÄÖÜ][a-zäöüßéè]+)?\b
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    public static partial Regex PostcodeWithCity();

    public static readonly SearchValues<string> StreetWords = SearchValues.Create(
        [" Street", " St", " Road", " Rd", " Avenue", " Ave", " Boulevard", " Blvd", " Lane", " Ln", " Drive", " Dr", " Court", " Ct",
         " Way", " Place", " Pl", " Terrace", " Close", " Crescent", " Square", " Sq", " Parkway", " Highway"], StringComparison.Ordinal);

    public static readonly SearchValues<string> StreetSuffixes = SearchValues.Create(
        ["straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "ring", "damm", "laan", "straat", "gracht"], StringComparison.Ordinal);

    [GeneratedRegex(@"^\(?\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}$", RegexOptions.CultureInvariant)]
    public static partial Regex NorthAmericanNumber();

    [GeneratedRegex(@"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$", RegexOptions.CultureInvariant)]
    public static partial Regex Date();
}
