using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Storage;
using ChatPlatform.Core.Teacher;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Tests.Teacher;

public sealed class TeacherTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    const string Chunk = "Refunds are issued to the original payment method within 5 business days after the returned item reaches our warehouse in Oslo.";
    static readonly DocumentSection Section = new("doc-1", "Returns", ["Returns", "Refund timing"], Chunk, "chunk-42");

    static TeacherQaWriter Writer(FakeOpenAIServer server, TimeSpan? timeout = null) =>
        new(new TeacherModel(OpenAIChatClientAdapter.Create(new TeacherOptions(server.BaseUrl, "teacher-7b", "sk-test",
            Timeout: timeout ?? TimeSpan.FromSeconds(30), MaxAttempts: 3, InitialBackoff: TimeSpan.FromMilliseconds(10))),
            new TeacherOptions(server.BaseUrl, "teacher-7b", "sk-test", Timeout: timeout ?? TimeSpan.FromSeconds(30),
                MaxAttempts: 3, InitialBackoff: TimeSpan.FromMilliseconds(10))));

    static string Pairs(params (string Q, string A)[] pairs) =>
        JsonSerializer.Serialize(new { pairs = pairs.Select(p => new { question = p.Q, answer = p.A }) });

    [Fact]
    public async Task Writes_grounded_pairs_and_sends_the_documented_request()
    {
        using var server = new FakeOpenAIServer();
        server.ReplyCompletion(Pairs(
            ("When do I get my refund?", "Refunds are issued to the original payment method within 5 business days after the item reaches our warehouse."),
            ("Can I pay with crypto?", "Bitcoin and Ethereum payments are accepted at checkout with instant confirmation."),
            ("", "Refunds take 5 business days.")));
        var summary = new GenerationSummary();

        var examples = await Writer(server).WriteFromChunkAsync(Section, "You are Penguin Wood's assistant.", summary, Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test", request.Authorization);
        Assert.Equal("teacher-7b", request.Body.GetProperty("model").GetString());
        Assert.Equal("json_object", request.Body.GetProperty("response_format").GetProperty("type").GetString());
        var sent = request.Body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user"], sent.Select(m => m.GetProperty("role").GetString()));
        Assert.Contains(Chunk, sent[1].GetProperty("content").GetString());

        var example = Assert.Single(examples); // the invented crypto answer and the empty question are rejected
        Assert.Equal(["system", "user", "assistant"], example.Messages.Select(m => m.Role));
        Assert.Equal("When do I get my refund?", example.Messages[1].Content);
        Assert.Equal((ExampleOrigin.Teacher, "chunk", "chunk-42"), (example.Origin, example.SourceKind, example.SourceId));
        Assert.Equal($"teacher-7b@{server.BaseUrl}", example.Teacher);
        Assert.Equal(2, summary.Skipped[SkipReasons.TeacherRejected]);
        Assert.Contains(summary.TeacherErrors, e => e.Contains("not grounded"));
    }

    [Fact]
    public async Task A_server_error_is_retried()
    {
        using var server = new FakeOpenAIServer();
        server.Reply(500, """{"error":{"message":"overloaded","type":"server_error"}}""");
        server.ReplyCompletion(Pairs(("When do I get my refund?", "Within 5 business days after the returned item reaches our warehouse.")));
        var summary = new GenerationSummary();

        var examples = await Writer(server).WriteFromChunkAsync(Section, null, summary, Ct);

        Assert.Equal(2, server.Requests.Count);
        Assert.Single(examples);
        Assert.Equal(1, summary.TeacherRetries);
        Assert.Empty(summary.TeacherErrors);
    }

    [Fact]
    public async Task A_malformed_json_answer_is_reported_and_yields_no_example()
    {
        using var server = new FakeOpenAIServer();
        server.ReplyCompletion("Sure! Here are some questions: 1. When do I get my refund?");
        var summary = new GenerationSummary();

        var examples = await Writer(server).WriteFromChunkAsync(Section, null, summary, Ct);

        Assert.Empty(examples);
        Assert.Contains("malformed JSON", Assert.Single(summary.TeacherErrors));
        Assert.Equal(1, summary.Skipped[SkipReasons.TeacherRejected]);
    }

    [Fact]
    public async Task A_timeout_is_retried_then_reported()
    {
        using var server = new FakeOpenAIServer();
        server.Hang();
        server.Hang();
        server.Hang();
        var summary = new GenerationSummary();

        var examples = await Writer(server, TimeSpan.FromMilliseconds(300)).WriteFromChunkAsync(Section, null, summary, Ct);

        Assert.Empty(examples);
        // Three attempts were made (two retries); under load a timed-out attempt may not even reach the double, so
        // the server's count is only bounded.
        Assert.Equal(2, summary.TeacherRetries);
        Assert.InRange(server.Requests.Count, 1, 3);
        Assert.Contains("timed out", Assert.Single(summary.TeacherErrors));
        Assert.Equal(1, summary.Skipped[SkipReasons.TeacherFailed]);
    }

    [Fact]
    public async Task Document_generation_uses_faq_directly_and_the_teacher_for_other_sections()
    {
        using var server = new FakeOpenAIServer();
        server.ReplyCompletion(Pairs(("When do I get my refund?", "Refunds are issued within 5 business days after the returned item reaches our warehouse.")));
        using var dir = new TempDataDirectory();
        var options = PlatformDatabase.Initialize(dir.Path);
        var faq = new DocumentSection("doc-2", "FAQ", ["FAQ"],
            "Q: Do you ship to Norway?\nA: Yes, within 5-7 working days.\n\nQ: Is assembly included?\nA: No, but every box has a manual.", "chunk-7");

        GenerationSummary summary;
        await using (var db = new PlatformDbContext(options))
            summary = await DocumentExampleGenerator.GenerateAsync(db, [faq, Section], Writer(server), null, "test", cancellationToken: Ct);

        await using var check = new PlatformDbContext(options);
        var stored = await check.Examples.OrderBy(e => e.Id).ToListAsync(Ct);
        Assert.Equal(3, summary.Created);
        Assert.Equal([ExampleOrigin.Document, ExampleOrigin.Document, ExampleOrigin.Teacher], stored.Select(e => e.Origin));
        Assert.Equal(["chunk-7", "chunk-7", "chunk-42"], stored.Select(e => e.SourceId));
        Assert.All(stored, e => Assert.Equal(ExampleStatus.Pending, e.Status));
        Assert.Single(server.Requests); // the FAQ section did not go to the teacher
    }

    [Fact]
    public async Task Paraphrases_keep_the_answer_and_the_source()
    {
        using var server = new FakeOpenAIServer();
        server.ReplyCompletion("""{"paraphrases":["How long until my money is back?","When will I see the refund?"]}""");
        var original = new SftExample
        {
            Id = 9, NormalizedHash = "h", SourceKind = "chunk", SourceId = "chunk-42",
            Messages = [new("user", "When do I get my refund?"), new("assistant", "Within 5 business days.")],
        };
        var summary = new GenerationSummary();

        var copies = await Writer(server).ParaphraseAsync(original, 2, summary, Ct);

        Assert.Equal(["How long until my money is back?", "When will I see the refund?"], copies.Select(c => c.Messages[0].Content));
        Assert.All(copies, c => Assert.Equal("Within 5 business days.", c.Messages[1].Content));
        Assert.All(copies, c => Assert.Equal(("chunk", "chunk-42"), (c.SourceKind, c.SourceId)));
        Assert.All(copies, c => Assert.Contains(ExampleFlags.Paraphrase, c.Flags));
    }
}

public sealed class MarkdownFaqExtractorTests
{
    [Fact]
    public void Finds_question_headings_and_question_titled_sections()
    {
        var headings = new DocumentSection("d", "FAQ", ["FAQ"],
            "## How long does shipping take?\n\nFive to seven working days.\n\n## Our history\n\nFounded in 1990.\n\n### Can I change my order?\nYes, within 24 hours.", "c1");
        Assert.Equal([new FaqPair("How long does shipping take?", "Five to seven working days."), new FaqPair("Can I change my order?", "Yes, within 24 hours.")],
            MarkdownFaqExtractor.Extract(headings));

        var titled = new DocumentSection("d", "Warranty", ["Warranty", "Is the tabletop covered?"], "Yes, for five years.", "c2");
        Assert.Equal([new FaqPair("Is the tabletop covered?", "Yes, for five years.")], MarkdownFaqExtractor.Extract(titled));

        var prose = new DocumentSection("d", "Care", ["Care"], "Wipe the surface with a damp cloth.", "c3");
        Assert.Empty(MarkdownFaqExtractor.Extract(prose));
    }
}
