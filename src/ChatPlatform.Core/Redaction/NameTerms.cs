namespace ChatPlatform.Core.Redaction;

/// <summary>
/// The customer's and agent's names as whole-word, case-insensitive search terms: the full name and each part of it
/// ("Jane Doe" → "Jane Doe", "Jane", "Doe"), longest first so that the full name becomes one placeholder.
/// Parts shorter than two letters and honorifics are skipped.
/// </summary>
public sealed class NameTerms
{
    static readonly HashSet<string> Honorifics = new(StringComparer.OrdinalIgnoreCase) { "mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "mx" };

    readonly (string Term, string Kind)[] terms;

    NameTerms((string, string)[] terms) => this.terms = terms;

    public static NameTerms? From(string? customerName, string? agentName)
    {
        var list = new List<(string Term, string Kind)>();
        Add(list, customerName, PiiKind.CustomerName);
        Add(list, agentName, PiiKind.AgentName);
        return list.Count == 0 ? null : new NameTerms(list.OrderByDescending(t => t.Term.Length).ToArray());
    }

    static void Add(List<(string, string)> list, string? name, string kind)
    {
        if (string.IsNullOrWhiteSpace(name)) return;
        var parts = name.Split([' ', '.', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !Honorifics.Contains(p)).ToArray();
        if (parts.Length > 1) list.Add((string.Join(' ', parts), kind));
        foreach (var part in parts)
            if (part.Length >= 2) list.Add((part, kind));
    }

    internal void Collect(List<Detection> spans, string text, int priority)
    {
        foreach (var (term, kind) in terms)
        {
            var from = 0;
            while (from < text.Length)
            {
                var at = text.IndexOf(term, from, StringComparison.OrdinalIgnoreCase);
                if (at < 0) break;
                var end = at + term.Length;
                if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
                    spans.Add(new Detection(at, term.Length, kind, priority));
                from = end;
            }
        }
    }
}
