using System.Text.Json;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>
/// The generic conversation record (JSONL and JSON): <c>{ticket_id, messages: [{role|author, text|content, time}],
/// subject?, created_at?, tags?, resolution?, satisfaction?, customer_name?, agent_name?}</c>.
/// </summary>
internal static class JsonConversationParser
{
    public static LogRecord Parse(JsonElement record, long line)
    {
        JsonFields.RequireObject(record);
        var ticketId = RecordChecks.TicketId(JsonFields.Text(record, "ticket_id"));
        var messages = JsonFields.Array(record, "messages") ?? throw new RecordException("messages: missing");
        var turns = new List<RawTurn>();
        var i = 0;
        foreach (var message in messages)
        {
            var path = JsonFields.Index("messages", i++);
            if (message.ValueKind != JsonValueKind.Object) throw new RecordException($"{path}: expected an object");
            var role = RoleNames.Parse(JsonFields.Text(message, "role", $"{path}.role") ?? JsonFields.Text(message, "author", $"{path}.author"), $"{path}.role");
            var text = JsonFields.Text(message, "text", $"{path}.text") ?? JsonFields.Text(message, "content", $"{path}.content");
            turns.Add(RecordChecks.Turn(role, text, RecordChecks.Time(JsonFields.Text(message, "time", $"{path}.time"), $"{path}.time"), $"{path}.text"));
        }
        return LogRecord.Ok(new RawConversation(
            line, ticketId, RecordChecks.NonEmpty(turns, "messages"),
            Subject: JsonFields.Text(record, "subject"),
            CreatedAt: RecordChecks.Time(JsonFields.Text(record, "created_at"), "created_at"),
            Tags: JsonFields.Strings(record, "tags"),
            Resolution: RecordChecks.Resolution(JsonFields.Text(record, "resolution"), "resolution"),
            Satisfaction: RecordChecks.Satisfaction(JsonFields.Text(record, "satisfaction"), "satisfaction"),
            CustomerName: Blank(JsonFields.Text(record, "customer_name")),
            AgentName: Blank(JsonFields.Text(record, "agent_name"))));
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
