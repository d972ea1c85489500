using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class ZendeskImportTests
{
    const string Ticket1 = """{"id": 101, "subject": "Refund", "status": "solved", "tags": ["billing"], "created_at": "2026-03-01T08:00:00Z", "satisfaction_rating": {"score": "good"}, "requester": {"id": 9, "name": "Ada Lovelace", "email": "ada@example.com"}, "assignee": {"id": 3, "name": "Bob"}, "comments": [{"id": 1, "author_id": 9, "public": true, "body": "I want a refund, call me on +44 20 7946 0958", "created_at": "2026-03-01T08:00:00Z"}, {"id": 2, "author_id": 3, "public": false, "body": "Customer is a VIP, refund without questions", "created_at": "2026-03-01T08:02:00Z"}, {"id": 3, "author_id": 3, "public": true, "body": "Done, Ada. Bob from support", "created_at": "2026-03-01T08:05:00Z"}]}""";
    const string Ticket2 = """{"id": 102, "status": "open", "satisfaction_rating": {"score": "bad"}, "requester": {"id": 5, "name": "Max"}, "comments": [{"author_id": 5, "body": "Still broken"}]}""";
    const string NoComments = """{"id": 103, "status": "new", "requester": {"id": 5}, "comments": []}""";

    [Fact]
    public void Ndjson_tickets_map_roles_notes_status_and_rating()
    {
        using var h = new ImportHarness();
        var summary = h.Import("export.jsonl", string.Join('\n', Ticket1, NoComments, Ticket2), LogFormat.Zendesk);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(new ImportRejectionInfo(2, "comments: the ticket has no comments"), Assert.Single(summary.FirstRejections));

        var (refund, open) = (h.Conversations()[0], h.Conversations()[1]);
        Assert.Equal("101", refund.TicketId);
        Assert.Equal([TurnRole.Customer, TurnRole.InternalNote, TurnRole.Agent], refund.Turns.Select(t => t.Role));
        Assert.Equal("I want a refund, call me on [PHONE]", refund.Turns[0].Text);
        Assert.Equal("Done, [CUSTOMER_NAME]. [AGENT_NAME] from support", refund.Turns[2].Text);
        Assert.Equal((Resolution.Resolved, 5), (refund.Resolution, refund.Satisfaction!.Value));
        Assert.Equal((Resolution.Unresolved, 1), (open.Resolution, open.Satisfaction!.Value));
    }

    [Fact]
    public void Internal_notes_are_never_agent_turns_even_from_the_assignee()
    {
        using var h = new ImportHarness();
        h.Import("export.json", $$"""{"tickets": [{{Ticket1}}, {{Ticket2}}], "count": 2}""", LogFormat.Zendesk);
        var turns = h.Conversations().SelectMany(c => c.Turns).ToList();
        Assert.DoesNotContain(turns, t => t.Role == TurnRole.Agent && t.Text.Contains("VIP"));
        Assert.Single(turns, t => t.Role == TurnRole.InternalNote);
    }

    [Fact]
    public void Tickets_without_a_requester_or_with_an_unknown_status_are_rejected()
    {
        using var h = new ImportHarness();
        var summary = h.Import("z.jsonl", """
            {"id": 1, "status": "open", "comments": [{"author_id": 1, "body": "x"}]}
            {"id": 2, "status": "archived", "requester": {"id": 1}, "comments": [{"author_id": 1, "body": "x"}]}
            """, LogFormat.Zendesk);
        Assert.Equal(0, summary.Imported);
        Assert.Equal([1L, 2], summary.FirstRejections.Select(r => r.Location));
        Assert.StartsWith("requester.id: missing", summary.FirstRejections[0].Reason);
        Assert.StartsWith("status: unknown Zendesk status 'archived'", summary.FirstRejections[1].Reason);
    }
}
