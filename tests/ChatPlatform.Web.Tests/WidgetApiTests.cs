using System.Net;
using System.Net.Http.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>The widget API answering with the real stories260K model over a seeded knowledge base.</summary>
public sealed class WidgetApiTests : IClassFixture<WidgetApiTests.App>
{
    private readonly App app;

    public WidgetApiTests(App app) => this.app = app;

    public sealed class App : IAsyncLifetime
    {
        public ServingApp Serving { get; } = new(WidgetTestSite.Settings(WidgetTestSite.SmallModel));

        public async ValueTask InitializeAsync() => await WidgetTestSite.SeedKnowledgeAsync(Serving.Services);

        public ValueTask DisposeAsync() => Serving.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PlatformDbContext Db() => new(app.Serving.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());

    [Fact]
    public async Task AnswerStreamsAsDeltasThenSourcesAndIsStoredInTheConversation()
    {
        var http = app.Serving.CreateClient();
        var session = await WidgetTestSite.CreateSessionAsync(http);

        var response = await WidgetTestSite.AskAsync(http, session, "How long is the Zephyr router warranty?");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await WidgetTestSite.EventsAsync(response);
        var deltas = events.TakeWhile(e => e.Name == "delta").Select(e => e.Data.GetProperty("text").GetString()!).ToList();
        Assert.True(deltas.Count > 1, $"expected the answer in several pieces, got {deltas.Count}");
        var (doneName, done) = events[^1];
        Assert.Equal("done", doneName);
        Assert.Equal(deltas.Count + 1, events.Count);
        var source = done.GetProperty("sources").EnumerateArray().First();
        Assert.Equal("Warranty terms", source.GetProperty("title").GetString());
        Assert.Equal("Coverage", source.GetProperty("section").GetString());  // the H1 that repeats the title is left out
        Assert.Equal("warranty-terms.md", source.GetProperty("path").GetString());  // the file name, never the server's path
        Assert.Contains("three years", source.GetProperty("snippet").GetString());

        var history = await http.GetFromJsonAsync<HistoryBody>(WidgetTestSite.Url($"/sessions/{session}/messages"), Ct);
        Assert.Equal(["user", "assistant"], history!.Messages.Select(m => m.Role));
        Assert.Equal("How long is the Zephyr router warranty?", history.Messages[0].Content);
        Assert.Equal(string.Concat(deltas), history.Messages[1].Content);
        Assert.Equal(done.GetProperty("messageId").GetInt64(), history.Messages[1].Id);
        Assert.Equal("Warranty terms", Assert.Single(history.Messages[1].Sources).Title);
    }

    [Fact]
    public async Task DownVoteThenCorrectionBecomeOnePendingFeedbackExample()
    {
        var http = app.Serving.CreateClient();
        var session = await WidgetTestSite.CreateSessionAsync(http);
        var events = await WidgetTestSite.EventsAsync(await WidgetTestSite.AskAsync(http, session, "Is there a warranty?"));
        var answerId = events[^1].Data.GetProperty("messageId").GetInt64();
        var feedbackUrl = WidgetTestSite.Url($"/messages/{answerId}/feedback");

        var down = await http.PostAsJsonAsync(feedbackUrl, new { sessionId = session, rating = "down" }, Ct);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        var example = await ExampleForAsync(answerId);
        Assert.Equal(ExampleStatus.Pending, example.Status);
        Assert.Equal(ExampleOrigin.Feedback, example.Origin);
        Assert.Equal(["down-voted"], example.Flags);
        Assert.Equal("Is there a warranty?", example.Messages[0].Content);
        await using (var db = Db())
            Assert.Equal(Feedback.Down, (await db.ChatMessages.SingleAsync(m => m.Id == answerId, Ct)).Feedback);

        const string correction = "Yes: every Zephyr router has a three-year warranty.";
        var corrected = await http.PostAsJsonAsync(feedbackUrl, new { sessionId = session, rating = "down", correction }, Ct);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        example = await ExampleForAsync(answerId);
        Assert.Equal([new ExampleMessage("user", "Is there a warranty?"), new ExampleMessage("assistant", correction)], example.Messages);
        Assert.Equal(["customer-correction"], example.Flags);
        await using (var db = Db())
            Assert.Equal(correction, (await db.ChatMessages.SingleAsync(m => m.Id == answerId, Ct)).Correction);

        // another session cannot vote on this answer
        var other = await WidgetTestSite.CreateSessionAsync(http);
        var foreign = await http.PostAsJsonAsync(feedbackUrl, new { sessionId = other, rating = "up" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.NotNull(await ExampleForAsync(answerId));
    }

    private async Task<SftExample> ExampleForAsync(long answerId)
    {
        await using var db = Db();
        return await db.Examples.AsNoTracking().SingleAsync(e => e.SourceKind == "chat-message" && e.SourceId == answerId.ToString(), Ct);
    }

    private sealed record HistoryBody(string SessionId, List<MessageBody> Messages);

    private sealed record MessageBody(long Id, string Role, string Content, List<SourceBody> Sources, string? Feedback);

    private sealed record SourceBody(string Title, string Path, string Snippet);
}
