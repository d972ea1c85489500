using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class JsonImportTests
{
    const string Jsonl = """
        {"ticket_id":"T-1","subject":"Router","created_at":"2026-01-05T10:00:00Z","tags":["wifi"],"resolution":"resolved","satisfaction":5,"customer_name":"Jane Doe","agent_name":"Sam","messages":[{"role":"customer","text":"Hi, my router blinks red.","time":"2026-01-05T10:00:00Z"},{"role":"agent","text":"Hold reset for 10 seconds, Jane."}]}
        {"ticket_id":"T-2","messages":[{"role":"user","text":"broken"
        {"messages":[{"role":"customer","text":"no id"}]}

        {"ticket_id":"T-4","messages":[{"role":"bot","text":"hello"}]}
        {"ticket_id":"T-5","messages":[{"author":"client","content":"Where is my parcel?"},{"author":"support","content":"   "}]}
        {"ticket_id":7,"messages":[{"author":"end-user","content":"Thanks"},{"author":"staff","content":"You're welcome"},{"role":"system","text":"closed"}]}
        """;

    [Fact]
    public void Jsonl_keeps_good_records_and_rejects_bad_ones_with_their_line()
    {
        using var h = new ImportHarness();
        var summary = h.Import("logs.jsonl", Jsonl, LogFormat.Jsonl);

        Assert.Equal((2, 0, 4), (summary.Imported, summary.Duplicates, summary.Rejected));
        Assert.Collection(summary.FirstRejections,
            r => { Assert.Equal(2, r.Location); Assert.StartsWith("invalid JSON", r.Reason); },
            r => { Assert.Equal(3, r.Location); Assert.Equal("ticket_id: missing ticket id", r.Reason); },
            r => { Assert.Equal(5, r.Location); Assert.StartsWith("messages[0].role: unknown role 'bot'", r.Reason); },
            r => { Assert.Equal(6, r.Location); Assert.Equal("messages[1].text: empty text", r.Reason); });

        var stored = h.Conversations();
        var first = stored[0];
        Assert.Equal("T-1", first.TicketId);
        Assert.Equal(Resolution.Resolved, first.Resolution);
        Assert.Equal(5, first.Satisfaction);
        Assert.Equal(["wifi"], first.Tags);
        Assert.Equal([TurnRole.Customer, TurnRole.Agent], first.Turns.Select(t => t.Role));
        Assert.Equal("Hold reset for 10 seconds, [CUSTOMER_NAME].", first.Turns[1].Text);
        Assert.Null(first.CustomerName); // a name is PII too: not stored when names are redacted
        Assert.Equal("7", stored[1].TicketId);
        Assert.Equal([TurnRole.Customer, TurnRole.Agent, TurnRole.System], stored[1].Turns.Select(t => t.Role));

        var run = Assert.Single(h.Runs());
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal((2, 0, 4), (run.Imported, run.Duplicates, run.Rejected));
        Assert.Equal([2L, 3, 5, 6], run.Rejections.Select(r => r.Location).Order());
        Assert.Equal(64, run.FileHash!.Length);
    }

    [Fact]
    public void Without_redaction_text_and_names_are_stored_as_they_are()
    {
        using var h = new ImportHarness();
        var line = """{"ticket_id":"N-1","customer_name":"Jane Doe","subject":"jane@example.com","messages":[{"role":"customer","text":"I am Jane, jane@example.com"}]}""";
        h.Import("raw.jsonl", line, LogFormat.Jsonl, new ImportOptions { Redact = false });
        var stored = Assert.Single(h.Conversations());
        Assert.Equal(("Jane Doe", "jane@example.com", "I am Jane, jane@example.com"), (stored.CustomerName, stored.Subject, stored.Turns[0].Text));

        using var redacted = new ImportHarness();
        redacted.Import("raw.jsonl", line, LogFormat.Jsonl);
        var clean = Assert.Single(redacted.Conversations());
        Assert.Equal((null, "[EMAIL]", "I am [CUSTOMER_NAME], [EMAIL]"), (clean.CustomerName, clean.Subject, clean.Turns[0].Text));
        Assert.Equal(stored.ContentHash, clean.ContentHash); // the key is over the raw record, not the stored text
    }

    [Fact]
    public void Json_array_and_conversations_object_are_streamed_with_record_lines()
    {
        using var h = new ImportHarness();
        var array = """
            [
              {"ticket_id": "A-1",
               "messages": [{"role": "customer", "text": "Hello"}, {"role": "agent", "text": "Hi!"}]},
              {"ticket_id": "A-2", "messages": []},
              {"ticket_id": "A-3", "messages": [{"role": "customer", "text": "Is it on?"}]}
            ]
            """;
        var summary = h.Import("a.json", array, LogFormat.Json);
        Assert.Equal((2, 1), (summary.Imported, summary.Rejected));
        Assert.Equal(new ImportRejectionInfo(4, "messages: no messages"), Assert.Single(summary.FirstRejections));

        var wrapped = """{"exported_at": {"by": "x", "list": [1, 2]}, "conversations": [{"ticket_id": "B-1", "messages": [{"role": "user", "text": "Hey"}]}, 42], "count": 2}""";
        var second = h.Import("b.json", wrapped, LogFormat.Json);
        Assert.Equal((1, 1), (second.Imported, second.Rejected));
        Assert.Equal("record: expected a JSON object", second.FirstRejections[0].Reason);
        Assert.Equal(["A-1", "A-3", "B-1"], h.Conversations().Select(c => c.TicketId));
    }

    [Fact]
    public void A_record_larger_than_the_read_buffer_is_read_whole()
    {
        using var h = new ImportHarness();
        var longText = new string('x', 200_000);
        var json = $$"""[{"ticket_id": "L-1", "messages": [{"role": "customer", "text": "{{longText}}"}]}]""";
        Assert.Equal(1, h.Import("long.json", json, LogFormat.Json).Imported);
        Assert.Equal(longText, h.Conversations()[0].Turns[0].Text);
    }

    [Fact]
    public void Thousands_of_array_records_across_buffer_refills_keep_exact_lines()
    {
        using var h = new ImportHarness();
        // One record per line after "[" on line 1; record i is on line i + 2; record 2500 lacks its ticket id.
        var records = Enumerable.Range(0, 3000).Select(i => i == 2500
            ? "{\"messages\": [{\"role\": \"customer\", \"text\": \"no id\"}]}"
            : $"{{\"ticket_id\": \"R-{i}\", \"messages\": [{{\"role\": \"customer\", \"text\": \"Question number {i} about the router\"}}]}}");
        var json = "[\n" + string.Join(",\n", records) + "\n]\n";
        var summary = h.Import("many.json", json, LogFormat.Json, new ImportOptions { BatchSize = 400 });
        Assert.Equal((2999, 1), (summary.Imported, summary.Rejected));
        Assert.Equal(new ImportRejectionInfo(2502, "ticket_id: missing ticket id"), Assert.Single(summary.FirstRejections));
        Assert.Equal("Question number 2999 about the router", h.Conversations()[^1].Turns[0].Text);
    }

    [Fact]
    public void A_syntax_error_inside_a_json_array_fails_the_whole_import_naming_the_line()
    {
        using var h = new ImportHarness();
        var json = "[\n{\"ticket_id\": \"A-1\", \"messages\": [{\"role\": \"customer\", \"text\": \"Hi\"}]},\n{\"ticket_id\": \"A-2\" \"messages\": []}\n]";
        var e = Assert.Throws<InvalidDataException>(() => h.Import("bad.json", json, LogFormat.Json));
        Assert.Contains("bad.json: invalid JSON at line 3", e.Message);
        Assert.Empty(h.Conversations());
        Assert.Equal(RunStatus.Failed, Assert.Single(h.Runs()).Status);
    }
}
