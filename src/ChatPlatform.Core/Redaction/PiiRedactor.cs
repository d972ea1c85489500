using System.Text;
using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Redaction;

/// <summary>
/// Replaces PII in text by typed placeholders (<c>[EMAIL]</c>, <c>[PHONE]</c>, <c>[CARD]</c>, <c>[IBAN]</c>, <c>[IP]</c>,
/// <c>[ADDRESS]</c>, custom <c>[ORDER]</c>..., <c>[CUSTOMER_NAME]</c>, <c>[AGENT_NAME]</c>). Every detector finds its
/// spans in the original text; where spans overlap the earlier one wins, then the longer, then the detector listed
/// first (custom patterns, email, IBAN, card, IP, phone, address, names). Thread-safe; build one per options.
/// </summary>
public sealed class PiiRedactor
{
    readonly RedactionOptions options;
    readonly (string Kind, Regex Pattern)[] custom;
    readonly Dictionary<string, string> placeholders;

    public PiiRedactor(RedactionOptions options)
    {
        this.options = options;
        custom = options.CustomPatterns.Select(p => (p.Key.Trim().ToUpperInvariant(), Compile(p.Key, p.Value))).ToArray();
        placeholders = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (kind, text) in options.Placeholders) placeholders[kind] = text;
    }

    public RedactionOptions Options => options;

    public string Placeholder(string kind) => placeholders.TryGetValue(kind, out var text) ? text : $"[{kind}]";

    /// <summary>The names to redact in one conversation's turns (null when the record carries none).</summary>
    public NameTerms? NamesFor(string? customerName, string? agentName) =>
        options.Names ? NameTerms.From(customerName, agentName) : null;

    public string Redact(string text, NameTerms? names = null)
    {
        if (!options.Enabled || text.Length == 0) return text;
        var spans = new List<Detection>();
        var priority = 0;
        foreach (var (kind, pattern) in custom) Collect(spans, pattern, text, kind, priority++, null);
        var hasDigit = text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
        if (options.Emails && text.Contains('@')) Collect(spans, PiiPatterns.Email(), text, PiiKind.Email, priority, null);
        priority++;
        if (hasDigit)
        {
            if (options.Ibans) Collect(spans, PiiPatterns.IbanCandidate(), text, PiiKind.Iban, priority, PiiValidators.IsIban);
            priority++;
            if (options.PaymentCards) Collect(spans, PiiPatterns.CardCandidate(), text, PiiKind.Card, priority, PiiValidators.IsCardNumber);
            priority++;
            if (options.IpAddresses)
            {
                if (text.Contains('.')) Collect(spans, PiiPatterns.IPv4(), text, PiiKind.Ip, priority, null);
            }
            if (options.Phones) Collect(spans, PiiPatterns.PhoneCandidate(), text, PiiKind.Phone, priority + 1, PiiValidators.IsPhone);
            if (options.PostalAddresses)
            {
                var span = text.AsSpan();
                if (span.IndexOfAny(PiiPatterns.StreetWords) >= 0) Collect(spans, PiiPatterns.NumberFirstStreet(), text, PiiKind.Address, priority + 2, null);
                if (span.IndexOfAny(PiiPatterns.StreetSuffixes) >= 0) Collect(spans, PiiPatterns.NameFirstStreet(), text, PiiKind.Address, priority + 2, null);
                Collect(spans, PiiPatterns.PostcodeWithCity(), text, PiiKind.Address, priority + 2, null);
            }
        }
        // IPv6 may be all letters ("fe80::abcd"), so it does not depend on a digit being present.
        if (options.IpAddresses && text.Contains(':')) Collect(spans, PiiPatterns.IPv6Candidate(), text, PiiKind.Ip, priority, PiiValidators.IsIPv6);
        priority += 3;
        names?.Collect(spans, text, priority);
        return spans.Count == 0 ? text : Apply(text, spans);
    }

    static void Collect(List<Detection> spans, Regex pattern, string text, string kind, int priority, SpanCheck? accept)
    {
        foreach (var m in pattern.EnumerateMatches(text))
        {
            if (accept is not null && !accept(text.AsSpan(m.Index, m.Length))) continue;
            spans.Add(new Detection(m.Index, m.Length, kind, priority));
        }
    }

    delegate bool SpanCheck(ReadOnlySpan<char> candidate);

    string Apply(string text, List<Detection> spans)
    {
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.Length != b.Length ? b.Length.CompareTo(a.Length)
            : a.Priority.CompareTo(b.Priority));
        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var s in spans)
        {
            if (s.Start < at) continue; // overlaps a span already replaced
            result.Append(text, at, s.Start - at).Append(Placeholder(s.Kind));
            at = s.Start + s.Length;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    static Regex Compile(string name, string pattern)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Redaction:CustomPatterns: a pattern has no name");
        try
        {
            // A timeout bounds a pathological configured pattern instead of hanging an import.
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Redaction:CustomPatterns:{name}: not a valid regular expression: {e.Message}", e);
        }
    }
}

internal readonly record struct Detection(int Start, int Length, string Kind, int Priority);
