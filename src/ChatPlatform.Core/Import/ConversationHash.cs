using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatPlatform.Core.Import;

/// <summary>
/// SHA-256 (hex) of a conversation as parsed, before redaction: ticket id, metadata and every turn's role, time and
/// text, with line breaks normalised to '\n' and surrounding whitespace trimmed. Re-importing the same file (or the
/// same ticket from a re-export with other formatting) gives the same hash; changing the redaction settings does not.
/// </summary>
public static class ConversationHash
{
    public static string Compute(RawConversation c)
    {
        var text = new StringBuilder(1024);
        Field(text, c.TicketId);
        Field(text, c.Subject);
        Field(text, c.CreatedAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        Field(text, c.Tags is null ? null : string.Join('\u001f', c.Tags));
        Field(text, c.Resolution.ToString());
        Field(text, c.Satisfaction?.ToString(CultureInfo.InvariantCulture));
        Field(text, c.CustomerName);
        Field(text, c.AgentName);
        foreach (var t in c.Turns)
        {
            Field(text, t.Role.ToString());
            Field(text, t.Time?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            Field(text, t.Text);
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Each field ends with a separator that cannot occur in it after normalisation, so fields cannot run together.</summary>
    static void Field(StringBuilder text, string? value)
    {
        if (value is not null) text.Append(value.Trim().Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u001e', ' '));
        text.Append('\u001e');
    }
}
