using System.Text;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>
/// Plain transcripts: conversations separated by a line <c>---</c>; an optional first line <c>Ticket: X</c>; turns
/// start with a speaker label (<c>Customer: ...</c>, <c>Agent: ...</c>, <c>System: ...</c>; labels configurable
/// through <see cref="ColumnMap"/> keys customer, agent, system) and every following line without a label continues
/// the turn. A conversation without a ticket line gets the id <c>transcript-</c> + the first 16 hex digits of its
/// content hash, so the same transcript always gets the same id.
/// </summary>
internal sealed class TranscriptLogReader(ColumnMap map)
{
    readonly (string Label, TurnRole Role)[] labels =
    [
        .. map.Labels("customer", "Customer", "User", "Client").Select(l => (l, TurnRole.Customer)),
        .. map.Labels("agent", "Agent", "Support").Select(l => (l, TurnRole.Agent)),
        .. map.Labels("system", "System").Select(l => (l, TurnRole.System)),
    ];

    public IEnumerable<LogRecord> Read(Stream stream)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        var conversation = new Builder();
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Trim() == "---")
            {
                if (conversation.Finish() is { } record) yield return record;
                conversation = new Builder();
                continue;
            }
            conversation.Add(line, number, labels);
        }
        if (conversation.Finish() is { } last) yield return last;
    }

    sealed class Builder
    {
        readonly List<RawTurn> turns = [];
        readonly StringBuilder text = new();
        TurnRole role;
        bool inTurn;
        long start, turnLine;
        string? ticketId;
        (long Line, string Reason)? failure;

        public void Add(string line, long number, (string Label, TurnRole Role)[] labels)
        {
            if (start == 0)
            {
                if (line.Trim().Length == 0) return; // blank lines between conversations
                start = number;
                if (line.StartsWith("Ticket:", StringComparison.OrdinalIgnoreCase))
                {
                    ticketId = line["Ticket:".Length..].Trim();
                    if (ticketId.Length == 0) failure ??= (number, "Ticket: missing ticket id");
                    return;
                }
            }
            foreach (var (label, labelRole) in labels)
            {
                if (line.Length > label.Length && line[label.Length] == ':' && line.StartsWith(label, StringComparison.OrdinalIgnoreCase))
                {
                    EndTurn();
                    role = labelRole;
                    turnLine = number;
                    inTurn = true;
                    text.Append(line.AsSpan(label.Length + 1).Trim());
                    return;
                }
            }
            if (inTurn) text.Append('\n').Append(line.TrimEnd());
            else if (line.Trim().Length > 0)
                failure ??= (number, $"expected a speaker label ({string.Join(", ", labels.Select(l => l.Label + ":"))}) before \"{Shorten(line)}\"");
        }

        public LogRecord? Finish()
        {
            if (start == 0) return null;
            EndTurn();
            if (failure is { } f) return LogRecord.Rejected(f.Line, f.Reason);
            if (turns.Count == 0) return LogRecord.Rejected(start, "the conversation has no turns");
            var conversation = new RawConversation(start, ticketId ?? "", turns);
            return LogRecord.Ok(ticketId is null
                ? conversation with { TicketId = "transcript-" + ConversationHash.Compute(conversation)[..16] }
                : conversation);
        }

        void EndTurn()
        {
            if (!inTurn) return;
            inTurn = false;
            var body = text.ToString().Trim();
            text.Clear();
            if (body.Length == 0) failure ??= (turnLine, $"{role}: empty text");
            else turns.Add(new RawTurn(role, body, null));
        }

        static string Shorten(string line) => line.Length > 40 ? line[..40] + "…" : line;
    }
}
