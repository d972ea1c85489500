using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;
using static ChatPlatform.Core.Tests.Examples.Conversations;

namespace ChatPlatform.Core.Tests.Review;

public sealed class ReviewServiceTests : IDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDataDirectory dir = new();
    readonly DbContextOptions<PlatformDbContext> options;
    readonly ReviewService review;

    public ReviewServiceTests()
    {
        options = PlatformDatabase.Initialize(dir.Path);
        review = new ReviewService(options);
    }

    public void Dispose() => dir.Dispose();

    async Task<GenerationSummary> GenerateAsync(params SupportConversation[] conversations)
    {
        await using var db = new PlatformDbContext(options);
        db.Conversations.AddRange(conversations);
        await db.SaveChangesAsync(Ct);
        return await ConversationExampleGenerator.GenerateAsync(db, new ConversationExampleOptions(), "tester", cancellationToken: Ct);
    }

    [Fact]
    public async Task Generation_stores_pending_examples_dedups_and_is_idempotent()
    {
        var unresolved = Of(C("My drawer sticks."), A("Let me check with the workshop and I'll get back to you."));
        unresolved.Resolution = Resolution.Unresolved;
        var summary = await GenerateAsync(
            Of(C("Do you ship to Norway?"), A("Yes, we ship to Norway within 5-7 working days.")),
            Of(C("Hello,\ndo you ship to norway"), A("Yes, we ship to Norway within 5-7 working days!")), // exact duplicate once normalised
            unresolved,
            Of(C("Anyone?")));

        Assert.Equal(2, summary.Created);
        Assert.Equal(1, summary.ExactDuplicates);
        Assert.Equal(1, summary.Skipped[SkipReasons.NoExchange]);
        Assert.Equal(1, summary.Flagged);
        Assert.Equal(1, summary.FlagCounts[ExampleFlags.LowValueReply]);

        var again = await GenerateAsync();
        Assert.Equal(0, again.Created);
        // Conversations that produced an example are not read again; the others are re-evaluated and skipped again.
        Assert.Equal(2, again.Skipped[SkipReasons.AlreadyGenerated]);
        Assert.Equal(1, again.ExactDuplicates);

        var page = await review.ListAsync(new ExampleQuery(Status: ExampleStatus.Pending), cancellationToken: Ct);
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task Lists_with_filters_in_stable_pages()
    {
        await GenerateAsync([.. Enumerable.Range(1, 7).Select(i =>
            Of(C($"Question {i} about the Oslo desk height?"), A($"Answer {i}: the Oslo desk is {60 + i} cm high, adjustable by 5 cm.")))]);
        await GenerateAsync(Of(C("Where is my parcel?"), A("Let me check the tracking and get back to you.")));

        var first = await review.ListAsync(new ExampleQuery(), page: 1, pageSize: 3, cancellationToken: Ct);
        var third = await review.ListAsync(new ExampleQuery(), page: 3, pageSize: 3, cancellationToken: Ct);
        Assert.Equal(8, first.TotalCount);
        Assert.Equal(3, first.Items.Count);
        Assert.Equal(2, third.Items.Count);
        Assert.True(first.Items.Select(e => e.Id).SequenceEqual(first.Items.Select(e => e.Id).Order()));

        Assert.Equal(1, (await review.ListAsync(new ExampleQuery(Flag: ExampleFlags.LowValueReply), cancellationToken: Ct)).TotalCount);
        Assert.Equal(1, (await review.ListAsync(new ExampleQuery(Text: "62 CM"), cancellationToken: Ct)).TotalCount);
        Assert.Equal(0, (await review.ListAsync(new ExampleQuery(Text: "100%"), cancellationToken: Ct)).TotalCount);
        Assert.Equal(8, (await review.ListAsync(new ExampleQuery(Origin: ExampleOrigin.Conversation, SourceKind: "conversation"), cancellationToken: Ct)).TotalCount);
        var id = first.Items[0].SourceId;
        Assert.Equal(1, (await review.ListAsync(new ExampleQuery(SourceId: id), cancellationToken: Ct)).TotalCount);
    }

    [Fact]
    public async Task Edits_keep_the_original_and_the_history_and_are_audited()
    {
        await GenerateAsync(Of(C("Do you ship to Norway?"), A("Yes, we ship to Norway.")));
        var id = (await review.ListAsync(new ExampleQuery(), cancellationToken: Ct)).Items[0].Id;

        await review.EditAsync(id, [new("user", "Do you ship to Norway?"), new("assistant", "Yes, within 5-7 working days.")], "anna", "add delivery time", Ct);
        await review.EditAsync(id, [new("user", "Do you ship to Norway?"), new("assistant", "Yes, within 5-7 working days, customs included.")], "tom", cancellationToken: Ct);

        var example = await review.GetAsync(id, Ct);
        Assert.Equal("Yes, we ship to Norway.", example.OriginalMessages[1].Content);
        Assert.Equal("Yes, within 5-7 working days, customs included.", example.Messages[1].Content);
        Assert.Equal(["anna", "tom"], example.Edits.Select(e => e.Editor));
        Assert.Equal("Yes, we ship to Norway.", example.Edits[0].PreviousMessages[1].Content);
        Assert.Equal(example.Edits[0].NewMessages, example.Edits[1].PreviousMessages);
        Assert.Equal(ChatPlatform.Core.Dedup.TextNormalizer.Hash(example.Messages), example.NormalizedHash);

        await Assert.ThrowsAsync<ArgumentException>(() => review.EditAsync(id, [new("user", "only a question")], "tom", cancellationToken: Ct));
        await using var db = new PlatformDbContext(options);
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.Action == "example.edit", Ct));
    }

    [Fact]
    public async Task Bulk_actions_by_ids_and_by_filter()
    {
        await GenerateAsync([.. Enumerable.Range(1, 4).Select(i =>
            Of(C($"Question {i} about shelf number {i}?"), A($"Shelf {i} holds {i * 10} kg when mounted on a solid wall.")))]);
        await GenerateAsync(Of(C("Where is my parcel?"), A("Let me check the tracking and get back to you.")));
        var ids = (await review.ListAsync(new ExampleQuery(), cancellationToken: Ct)).Items.Select(e => e.Id).ToList();

        Assert.Equal(1, await review.RejectWhereAsync(new ExampleQuery(Flag: ExampleFlags.LowValueReply), "anna", "defers", Ct));
        Assert.Equal(2, await review.ApproveAsync([ids[0], ids[1]], "anna", Ct));
        Assert.Equal(0, await review.ApproveAsync([ids[0]], "anna", Ct)); // already approved: no change, no history
        Assert.Equal(2, await review.ApproveWhereAsync(new ExampleQuery(Status: ExampleStatus.Pending), "tom", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => review.ApproveAsync([999], "tom", Ct));

        var stats = await review.StatisticsAsync(Ct);
        Assert.Equal(4, stats.ByStatus["Approved"]);
        Assert.Equal(1, stats.ByStatus["Rejected"]);
        Assert.Equal(1, stats.ByFlag[ExampleFlags.LowValueReply]);

        var first = await review.GetAsync(ids[0], Ct);
        Assert.Equal((ExampleStatus?)ExampleStatus.Pending, Assert.Single(first.Edits).PreviousStatus);
        Assert.Equal("anna", first.ReviewedBy);
        await using var db = new PlatformDbContext(options);
        var actions = await db.AuditLog.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct);
        Assert.Equal(["examples.generate", "examples.generate", "example.bulk-reject", "example.approve", "example.approve", "example.bulk-approve"], actions);
    }

    [Fact]
    public async Task Near_duplicates_share_a_cluster_shown_in_statistics()
    {
        await GenerateAsync(
            Of(C("How do I reset my router to factory settings?"), A("Hold the reset button on the back for ten seconds until the power light blinks orange, then wait two minutes.")),
            Of(C("How can I reset my router to factory settings?"), A("Hold the reset button on the back for ten seconds until the power light blinks orange, then wait 2 minutes.")),
            Of(C("Do you ship to Norway?"), A("Yes, we ship to all Nordic countries within five to seven working days.")));

        var all = (await review.ListAsync(new ExampleQuery(), cancellationToken: Ct)).Items;
        Assert.NotNull(all[0].DuplicateClusterId);
        Assert.Equal(all[0].DuplicateClusterId, all[1].DuplicateClusterId);
        Assert.Null(all[2].DuplicateClusterId);
        Assert.Equal(2, (await review.ListAsync(new ExampleQuery(ClusterId: all[0].DuplicateClusterId), cancellationToken: Ct)).TotalCount);
        var stats = await review.StatisticsAsync(Ct);
        Assert.Equal((1, 2, 2), (stats.Clusters, stats.ClusteredExamples, stats.LargestCluster));
    }
}
