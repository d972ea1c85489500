using System.Text.Json;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>
/// A Zendesk-style ticket: <c>{id, subject, status, tags, created_at, satisfaction_rating{score},
/// requester{id,name,email}, assignee{id,name}, comments[{id, author_id, public, body, created_at}]}</c>.
/// A comment by the requester is the customer's; <c>public: false</c> comments are internal notes (never agent text);
/// every other comment is the agent's.
/// </summary>
internal static class ZendeskTicketParser
{
    public static LogRecord Parse(JsonElement ticket, long line)
    {
        JsonFields.RequireObject(ticket);
        var ticketId = RecordChecks.TicketId(JsonFields.Text(ticket, "id"), "id");
        var requester = JsonFields.Object(ticket, "requester");
        var assignee = JsonFields.Object(ticket, "assignee");
        var requesterId = requester is { } r ? JsonFields.Text(r, "id", "requester.id") : null;
        requesterId ??= JsonFields.Text(ticket, "requester_id");
        if (requesterId is null) throw new RecordException("requester.id: missing (needed to tell the customer's comments from the agents')");

        var comments = JsonFields.Array(ticket, "comments") ?? throw new RecordException("comments: missing");
        var turns = new List<RawTurn>();
        var i = 0;
        foreach (var comment in comments)
        {
            var path = JsonFields.Index("comments", i++);
            if (comment.ValueKind != JsonValueKind.Object) throw new RecordException($"{path}: expected an object");
            var author = JsonFields.Text(comment, "author_id", $"{path}.author_id") ?? throw new RecordException($"{path}.author_id: missing");
            var isPublic = JsonFields.Bool(comment, "public", $"{path}.public") ?? true;
            var role = !isPublic ? TurnRole.InternalNote : author == requesterId ? TurnRole.Customer : TurnRole.Agent;
            var body = JsonFields.Text(comment, "body", $"{path}.body") ?? JsonFields.Text(comment, "plain_body", $"{path}.plain_body");
            turns.Add(RecordChecks.Turn(role, body, RecordChecks.Time(JsonFields.Text(comment, "created_at", $"{path}.created_at"), $"{path}.created_at"), $"{path}.body"));
        }
        if (turns.Count == 0) throw new RecordException("comments: the ticket has no comments");

        var rating = JsonFields.Object(ticket, "satisfaction_rating");
        return LogRecord.Ok(new RawConversation(
            line, ticketId, turns,
            Subject: JsonFields.Text(ticket, "subject"),
            CreatedAt: RecordChecks.Time(JsonFields.Text(ticket, "created_at"), "created_at"),
            Tags: JsonFields.Strings(ticket, "tags"),
            Resolution: Status(JsonFields.Text(ticket, "status")),
            Satisfaction: rating is { } s ? RecordChecks.Satisfaction(JsonFields.Text(s, "score", "satisfaction_rating.score"), "satisfaction_rating.score") : null,
            CustomerName: requester is { } rq ? JsonFields.Text(rq, "name", "requester.name") : null,
            AgentName: assignee is { } a ? JsonFields.Text(a, "name", "assignee.name") : null));
    }

    static Resolution Status(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        "solved" or "closed" => Resolution.Resolved,
        "open" or "pending" or "new" or "hold" => Resolution.Unresolved,
        null or "" => Resolution.Unknown,
        var other => throw new RecordException($"status: unknown Zendesk status '{other}' (expected new, open, pending, hold, solved or closed)"),
    };
}
