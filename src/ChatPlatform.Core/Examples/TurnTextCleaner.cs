using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Examples;

/// <summary>
/// Removes what a support e-mail carries besides its message: quoted earlier replies ("On ... wrote:" and "&gt; "
/// lines), helpdesk boilerplate ("Ticket #PW-10023 has been updated"), greetings ("Hi Anna,") and signatures
/// ("Best regards, Tom — Penguin Wood Support", "Sent from my iPhone"). A model trained on them would greet and sign.
/// </summary>
public static partial class TurnTextCleaner
{
    public static string Clean(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').ToList();

        // Everything from a quote header or a forwarded/original-message marker on is an earlier message.
        var quoteStart = lines.FindIndex(l => QuoteHeader().IsMatch(l));
        if (quoteStart >= 0) lines.RemoveRange(quoteStart, lines.Count - quoteStart);
        lines.RemoveAll(l => l.TrimStart().StartsWith('>') || Boilerplate().IsMatch(l) || DeviceSignature().IsMatch(l));

        // A sign-off line near the end closes the message: it and what follows (name, title, company, phone) go.
        // Only near the end: "Thanks." can open a message too.
        var tailStart = Math.Max(0, LastNonBlank(lines) - SignatureMaxLines);
        var signOff = lines.FindIndex(tailStart, l => StrongSignOff().IsMatch(l) || WeakSignOff().IsMatch(l) || l.TrimEnd() is "--" or "-- ");
        if (signOff >= 0) lines.RemoveRange(signOff, lines.Count - signOff);

        var body = string.Join('\n', lines).Trim();
        body = GreetingLine().Replace(body, "", 1).TrimStart();
        body = InlineGreeting().Replace(body, "", 1);
        body = BlankLines().Replace(body, "\n\n");
        return CapitalizeFirst(body.Trim());
    }

    /// <summary>How many lines a signature block may have after its sign-off line.</summary>
    const int SignatureMaxLines = 6;

    static int LastNonBlank(List<string> lines) => lines.FindLastIndex(l => l.Trim().Length > 0);

    // "Hi Anna, the router..." becomes "The router..."; an identifier such as "iOS" or "eBay" at the start stays.
    static string CapitalizeFirst(string s) =>
        s.Length > 1 && char.IsLower(s[0]) && !char.IsUpper(s[1]) ? char.ToUpperInvariant(s[0]) + s[1..] : s;

    [GeneratedRegex(@"^\s*(On\s.{1,200}\swrote:|-{2,}\s*(Original Message|Forwarded message)\s*-{2,}|From:\s.+<[^>]+@[^>]+>)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteHeader();

    [GeneratedRegex(@"^\s*(Ticket\s+#?[\w-]+\s+has\s+been\s+(updated|created|opened|resolved|closed|reopened)\b.*|#*-*\s*Please (type|reply|write) (your reply )?above this line.*|This is an automated (message|notification).*|You are receiving this (e-?mail|message) because.*|To add additional comments, reply to this (e-?mail|message).*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Boilerplate();

    [GeneratedRegex(@"^\s*(Sent from my (iPhone|iPad|Android|Samsung|mobile|phone)\b.*|Get Outlook for (iOS|Android).*|Sent from (Mail|Outlook) for .*)$", RegexOptions.IgnoreCase)]
    private static partial Regex DeviceSignature();

    /// <summary>"Best regards, Tom — Penguin Wood Support": the rest of the line may be anything short.</summary>
    [GeneratedRegex(@"^\s*((best|kind|warm|warmest)\s+(regards|wishes)|regards|sincerely|yours (truly|sincerely)|mit freundlichen grüßen|viele grüße)\s*([,.!—–-].{0,80})?$", RegexOptions.IgnoreCase)]
    private static partial Regex StrongSignOff();

    /// <summary>"Thanks, Tom" or "Cheers!": only a name may follow, so "Thanks, that fixed it" stays.</summary>
    [GeneratedRegex(@"^\s*(cheers|best|thanks( again| in advance)?|thank you( again| in advance)?|many thanks)\s*[,.!]?(\s*(?-i:\p{Lu})[\p{L}.'-]*){0,3}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex WeakSignOff();

    /// <summary>A line that is only a greeting: "Hi Anna,", "Hello,", "Dear Mr. Smith,", "Hi there!".</summary>
    [GeneratedRegex(@"^(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings|hallo)(\s+(there|all|team|(?-i:\p{Lu})[\p{L}.'-]*)){0,3}\s*[,!:.]?[ \t]*(\n|$)", RegexOptions.IgnoreCase)]
    private static partial Regex GreetingLine();

    /// <summary>A greeting that opens a line of text: "Hi Anna, the router...", "Hello, I cannot log in".</summary>
    [GeneratedRegex(@"^(hi|hello|hey|dear|hallo)(\s+(there|all|team|(?-i:\p{Lu})[\p{L}.'-]*)){0,3}\s*,\s*", RegexOptions.IgnoreCase)]
    private static partial Regex InlineGreeting();

    [GeneratedRegex(@"\n[ \t]*\n(\s*\n)+")]
    private static partial Regex BlankLines();
}
