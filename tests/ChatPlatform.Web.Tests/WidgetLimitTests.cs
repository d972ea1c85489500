using System.Net;
using System.Net.Http.Json;

namespace ChatPlatform.Web.Tests;

/// <summary>The widget API's refusals: foreign origins, rate limits, oversized messages, no model.</summary>
public sealed class WidgetLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnlyTheSitesOriginsGetCorsHeadersAndOthersAreRefused()
    {
        await using var app = new AdminApp(WidgetTestSite.Settings());
        var http = app.CreateClient();

        var foreign = new HttpRequestMessage(HttpMethod.Post, WidgetTestSite.Url("/sessions")) { Headers = { { "Origin", "https://evil.example" } } };
        var refused = await http.SendAsync(foreign, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains("https://evil.example is not allowed", await WidgetTestSite.ErrorAsync(refused));

        var preflight = new HttpRequestMessage(HttpMethod.Options, WidgetTestSite.Url("/sessions/abc/messages"))
        {
            Headers = { { "Origin", WidgetTestSite.AllowedOrigin }, { "Access-Control-Request-Method", "POST" } },
        };
        var allowedPreflight = await http.SendAsync(preflight, Ct);
        Assert.Equal(HttpStatusCode.NoContent, allowedPreflight.StatusCode);
        Assert.Equal(WidgetTestSite.AllowedOrigin, allowedPreflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowedPreflight.Headers.GetValues("Access-Control-Allow-Methods").Single());

        var allowed = new HttpRequestMessage(HttpMethod.Post, WidgetTestSite.Url("/sessions")) { Headers = { { "Origin", WidgetTestSite.AllowedOrigin } } };
        var created = await http.SendAsync(allowed, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(WidgetTestSite.AllowedOrigin, created.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var unknownKey = await http.GetAsync("/api/widget/config?key=nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownKey.StatusCode);
        Assert.Contains("Unknown site key", await WidgetTestSite.ErrorAsync(unknownKey));
    }

    [Fact]
    public async Task RequestsPastTheClientsLimitGet429WithAClearMessage()
    {
        await using var app = new AdminApp(WidgetTestSite.Settings(new() { ["Widget:RequestsPerMinutePerIp"] = "2" }));
        var http = app.CreateClient();
        await WidgetTestSite.CreateSessionAsync(http);
        await WidgetTestSite.CreateSessionAsync(http);

        var third = await http.PostAsync(WidgetTestSite.Url("/sessions"), null, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Contains("at most 2 per minute from one address", await WidgetTestSite.ErrorAsync(third));
        Assert.True(third.Headers.Contains("Retry-After"));
        // reading the configuration is not rate limited
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(WidgetTestSite.Url("/config"), Ct)).StatusCode);
    }

    [Fact]
    public async Task TooLongOrEmptyMessagesAreRefused()
    {
        await using var app = new AdminApp(WidgetTestSite.Settings(new() { ["Widget:MaxMessageChars"] = "50" }));
        var http = app.CreateClient();
        var session = await WidgetTestSite.CreateSessionAsync(http);

        var tooLong = await WidgetTestSite.AskAsync(http, session, new string('a', 51));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        Assert.Equal("The message is 51 characters long; the limit is 50. Please shorten it.", await WidgetTestSite.ErrorAsync(tooLong));

        var empty = await WidgetTestSite.AskAsync(http, session, "   ");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);

        var config = await http.GetFromJsonAsync<ConfigBody>(WidgetTestSite.Url("/config"), Ct);
        Assert.Equal(new ConfigBody("Zephyr help", "Hello from Zephyr support!", "#aa3300", 50), config);
    }

    [Fact]
    public async Task AConversationPastItsMessageLimitIsRefusedWithA400()
    {
        await using var app = new ServingApp(WidgetTestSite.Settings(new(WidgetTestSite.SmallModel) { ["Widget:MaxSessionMessages"] = "2" }));
        var http = app.CreateClient();
        var session = await WidgetTestSite.CreateSessionAsync(http);
        var first = await WidgetTestSite.AskAsync(http, session, "Hello?");
        Assert.Equal("done", (await WidgetTestSite.EventsAsync(first))[^1].Name);

        var second = await WidgetTestSite.AskAsync(http, session, "And again?");
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("This conversation has reached its limit of 2 messages. Start a new conversation to continue.",
            await WidgetTestSite.ErrorAsync(second));
    }

    private sealed record ConfigBody(string Title, string Greeting, string BrandColor, int MaxMessageChars);
}
