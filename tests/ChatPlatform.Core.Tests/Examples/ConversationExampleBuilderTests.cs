using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using static ChatPlatform.Core.Tests.Examples.Conversations;

namespace ChatPlatform.Core.Tests.Examples;

public sealed class ConversationExampleBuilderTests
{
    static readonly ConversationExampleOptions Defaults = new();

    static string[] Render(ExampleCandidate e) => [.. e.Messages.Select(m => $"{m.Role}: {m.Content}")];

    [Fact]
    public void Merges_consecutive_turns_drops_notes_leading_agent_and_trailing_customer()
    {
        var conversation = Of(
            A("Ticket #PW-1 has been created"),
            C("Hello,\nMy desk wobbles."),
            C("It is the Oslo model."),
            Note("Customer is a VIP, check warranty"),
            A("Hi Maria,\nTighten the four leg bolts with the included hex key.\n\nBest regards, Tom — Penguin Wood Support"),
            A("If it still wobbles, adjust the levelling feet."),
            C("Thanks, will try."));

        var result = ConversationExampleBuilder.Build(conversation, Defaults);

        var example = Assert.Single(result.Examples);
        Assert.Equal([
            "user: My desk wobbles.\n\nIt is the Oslo model.",
            "assistant: Tighten the four leg bolts with the included hex key.\n\nIf it still wobbles, adjust the levelling feet.",
        ], Render(example));
        Assert.DoesNotContain(example.Messages, m => m.Content.Contains("VIP"));
        Assert.Equal(ExampleOrigin.Conversation, example.Origin);
        Assert.Equal(("conversation", conversation.Id.ToString()), (example.SourceKind, example.SourceId));
        Assert.Empty(example.Flags);
    }

    [Fact]
    public void Splits_where_the_customer_opens_a_new_question()
    {
        var conversation = Of(
            C("How do I assemble the Oslo desk?"), A("Follow the manual in the box, starting with the frame."),
            C("Great. Does it need tools?"), A("Only the hex key that comes with it."),
            C("Another question: do you ship to Norway?"), A("Yes, we ship to Norway within 5-7 working days."));

        var examples = ConversationExampleBuilder.Build(conversation, Defaults).Examples;

        Assert.Equal(2, examples.Count);
        Assert.Equal(4, examples[0].Messages.Count);
        Assert.Equal(["user: Do you ship to Norway?", "assistant: Yes, we ship to Norway within 5-7 working days."], Render(examples[1]));
        Assert.All(examples, e => Assert.Contains(ExampleFlags.SplitThread, e.Flags));
    }

    [Fact]
    public void Splits_at_the_length_budget_between_exchanges()
    {
        var turns = Enumerable.Range(0, 6).SelectMany(i => new[]
        {
            C($"Question number {i} about the wardrobe hinges and doors?"),
            A($"Answer number {i}: adjust the hinge screw a quarter turn clockwise."),
        }).ToArray();
        var options = new ConversationExampleOptions(MaxExampleChars: 250);

        var examples = ConversationExampleBuilder.Build(Of(turns), options).Examples;

        Assert.True(examples.Count >= 3);
        Assert.All(examples, e => Assert.InRange(ExampleMessages.Length(e.Messages), 1, 250));
        Assert.Equal(12, examples.Sum(e => e.Messages.Count)); // nothing lost, nothing repeated
        Assert.All(examples, e => Assert.Equal("assistant", e.Messages[^1].Role));
    }

    public static TheoryData<string, ConversationExampleOptions, Resolution, int?, string?, string?> FilterCases => new()
    {
        // name, options, resolution, satisfaction, language, expected skip reason (null: kept)
        { "default keeps unresolved", new(), Resolution.Unresolved, null, null, null },
        { "resolved only skips unresolved", new(ResolvedOnly: true), Resolution.Unresolved, null, null, SkipReasons.NotResolved },
        { "resolved only skips escalated", new(ResolvedOnly: true), Resolution.Escalated, null, null, SkipReasons.NotResolved },
        { "resolved only keeps resolved", new(ResolvedOnly: true), Resolution.Resolved, 5, null, null },
        { "below min satisfaction", new(MinSatisfaction: 4), Resolution.Resolved, 3, null, SkipReasons.LowSatisfaction },
        { "at min satisfaction", new(MinSatisfaction: 4), Resolution.Resolved, 4, null, null },
        { "unrated passes min satisfaction", new(MinSatisfaction: 4), Resolution.Resolved, null, null, null },
        { "other language", new(Languages: new HashSet<string> { "en" }), Resolution.Resolved, null, "de", SkipReasons.Language },
        { "listed language", new(Languages: new HashSet<string> { "en", "de" }), Resolution.Resolved, null, "DE", null },
        { "too short", new(MinExampleChars: 500), Resolution.Resolved, null, null, SkipReasons.TooShort },
        { "too long", new(MinExampleChars: 1, MaxExampleChars: 30), Resolution.Resolved, null, null, SkipReasons.TooLong },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filters(string name, ConversationExampleOptions options, Resolution resolution, int? satisfaction, string? language, string? skipped)
    {
        var conversation = Of(C("Can I return the chair after 30 days?"), A("Yes, returns are accepted within 60 days of delivery."));
        conversation.Resolution = resolution;
        conversation.Satisfaction = satisfaction;
        conversation.Language = language;

        var result = ConversationExampleBuilder.Build(conversation, options);

        if (skipped is null) Assert.True(result.Examples.Count == 1, name);
        else Assert.True(result.Examples.Count == 0 && result.Skipped.SequenceEqual([skipped]), name);
    }

    [Fact]
    public void A_thread_without_an_agent_answer_yields_nothing()
    {
        var result = ConversationExampleBuilder.Build(Of(C("Is anyone there?"), Note("spam?")), Defaults);
        Assert.Empty(result.Examples);
        Assert.Equal([SkipReasons.NoExchange], result.Skipped);
    }

    public static TheoryData<string, Resolution, string[]> FlagCases => new()
    {
        { "Let me check with the warehouse and I'll get back to you tomorrow.", Resolution.Resolved, [ExampleFlags.LowValueReply] },
        { "I am escalating this to tier 2 so that an engineer can look at the logs.", Resolution.Resolved, [ExampleFlags.LowValueReply] },
        { "Yes.", Resolution.Resolved, [ExampleFlags.ShortAnswer] },
        { "Returns are accepted within 60 days; print the label from your account page.", Resolution.Unresolved, [ExampleFlags.Unresolved] },
        { "Returns are accepted within 60 days; print the label from your account page.", Resolution.Escalated, [ExampleFlags.Unresolved] },
        { "Returns are accepted within 60 days; print the label from your account page.", Resolution.Resolved, [] },
    };

    [Theory]
    [MemberData(nameof(FlagCases))]
    public void Flags_low_value_unresolved_and_short_answers_without_dropping_them(string answer, Resolution resolution, string[] flags)
    {
        var conversation = Of(C("Can I return the chair after 30 days?"), A(answer));
        conversation.Resolution = resolution;

        var example = Assert.Single(ConversationExampleBuilder.Build(conversation, Defaults).Examples);

        Assert.Equal(flags, example.Flags);
    }

    [Fact]
    public void Adds_the_deployment_system_prompt()
    {
        var conversation = Of(C("Can I return the chair after 30 days?"), A("Yes, within 60 days of delivery."));
        var example = Assert.Single(ConversationExampleBuilder.Build(conversation, new(SystemPrompt: "You are Penguin Wood's assistant.")).Examples);
        Assert.Equal(new ExampleMessage("system", "You are Penguin Wood's assistant."), example.Messages[0]);
    }
}
