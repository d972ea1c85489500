using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// The widget as customers meet it: embedded with its one script tag in a page of another website (a static page on
/// another port, so another origin), talking to the app across origins in headless Chromium, grounded on the demo
/// product's warranty document; the down-vote with a correction lands in the admin review queue. A site whose origin
/// is not on the key's list gets no widget.
/// </summary>
public sealed class WidgetCrossOriginBrowserTests : IAsyncLifetime
{
    private const string Question = "How long is the warranty of the PW-300 Pro panel?";
    private StaticSite allowedSite = null!;
    private StaticSite otherSite = null!;
    private AdminApp app = null!;
    private string appUrl = "";
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        allowedSite = await StaticSite.StartAsync();
        otherSite = await StaticSite.StartAsync();
        app = new AdminApp(WidgetTestSite.Settings(new(WidgetTestSite.SmallModel)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Serving:Model"] = SharedModels.Folder(SharedModels.Stories260K),
            ["Widget:Sites:0:AllowedOrigins:0"] = allowedSite.Origin,
        }));
        app.UseKestrel();
        app.StartServer();
        appUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Penguin Wood shop</title></head>
            <body><h1>Penguin Wood acoustic panels</h1>
            <script src="{appUrl}/widget.js" data-site-key="{WidgetTestSite.Key}" defer></script>
            </body></html>
            """;
        allowedSite.Html = otherSite.Html = page;
        var warranty = Path.Combine(TestPaths.RepositoryRoot, "knowledge", "docs", "warranty.md");
        await app.Services.GetRequiredService<KnowledgeIngestor>().AddFileAsync(warranty, ct: TestContext.Current.CancellationToken);
        playwright = await Playwright.CreateAsync();
        browser = await HeadlessChromium.LaunchAsync(playwright);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await app.DisposeAsync();
        await allowedSite.DisposeAsync();
        await otherSite.DisposeAsync();
    }

    [Fact]
    public async Task CustomerOnAnotherSiteGetsAGroundedAnswerAndTheirCorrectionReachesTheReviewQueue()
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(allowedSite.Origin + "/");
        await Expect(page.Locator("#chatplatform-widget")).ToHaveAttributeAsync("data-ready", "true");
        await page.Locator(".launcher").ClickAsync();
        await Expect(page.Locator(".panel h2")).ToHaveTextAsync("Zephyr help");

        await page.EvaluateAsync("""
            () => {
              window.answerUpdates = 0;
              const root = document.getElementById("chatplatform-widget").shadowRoot;
              new MutationObserver(records => {
                for (const r of records) if (r.target.classList && r.target.classList.contains("text")) window.answerUpdates++;
              }).observe(root, { subtree: true, childList: true, characterData: true });
            }
            """);
        var input = page.Locator("textarea.input");
        await input.FillAsync(Question);
        await input.PressAsync("Enter");
        var answer = page.Locator(".msg.bot[data-message-id]");
        await Expect(answer.Locator(".sources li").First).ToContainTextAsync("Warranty");
        await Expect(answer.Locator(".sources")).ToContainTextAsync("PW-300 warranty");
        Assert.False(string.IsNullOrWhiteSpace(await answer.Locator(".text").TextContentAsync()));
        Assert.True(await page.EvaluateAsync<int>("() => window.answerUpdates") > 1, "the answer did not arrive in pieces");

        await answer.Locator(".thumb-down").ClickAsync();
        const string correction = "The PW-300 Pro panel has a 5-year warranty from the delivery date.";
        await answer.Locator(".correction textarea").FillAsync(correction);
        await answer.Locator(".correction-send").ClickAsync();
        await Expect(answer.Locator(".thanks")).ToHaveTextAsync("Thanks for your feedback.");
        var answerId = await answer.GetAttributeAsync("data-message-id");

        long exampleId;
        await using (var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>()))
        {
            var example = await db.Examples.AsNoTracking().SingleAsync(e => e.SourceId == answerId, TestContext.Current.CancellationToken);
            Assert.Equal((ExampleStatus.Pending, ExampleOrigin.Feedback), (example.Status, example.Origin));
            exampleId = example.Id;
        }

        var admin = await SignedInPageAsync();
        await admin.GotoAsync($"{appUrl}/admin/review");
        await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(admin.Locator($"#status-{exampleId}")).ToHaveTextAsync("Pending");
        var row = admin.Locator("tr", new() { Has = admin.Locator($"#status-{exampleId}") });
        await Expect(row).ToContainTextAsync("Feedback");
        await Expect(row).ToContainTextAsync(Question);
        await row.ClickAsync();
        await Expect(admin.Locator("#current-example")).ToContainTextAsync("customer-correction");
        Assert.Contains(correction, await admin.Locator("#current-example textarea").Last.InputValueAsync());
    }

    [Fact]
    public async Task ASiteWhoseOriginIsNotOnTheListGetsNoWidget()
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error") lock (errors) errors.Add(m.Text);
        };
        await page.GotoAsync(otherSite.Origin + "/");
        // the widget removes itself when its configuration cannot be read; the browser blocks the refused response
        await Expect(page.Locator("#chatplatform-widget")).ToHaveCountAsync(0);
        lock (errors) Assert.Contains(errors, e => e.StartsWith("chat widget:", StringComparison.Ordinal));
        // and the server refused it (403), not only the browser
        lock (app.Logs) Assert.Contains(app.Logs, l => l.Contains("/api/widget/config") && l.Contains("status 403"));
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await (await browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync($"{appUrl}/admin/login");
        await page.FillAsync("#email", AdminApp.AdminEmail);
        await page.FillAsync("#password", AdminApp.AdminPassword);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync($"{appUrl}/admin");
        return page;
    }

    /// <summary>Another website: one static page on a port of its own (so an origin of its own).</summary>
    private sealed class StaticSite : IAsyncDisposable
    {
        private WebApplication server = null!;
        public string Html { get; set; } = "";
        public string Origin { get; private set; } = "";

        public static async Task<StaticSite> StartAsync()
        {
            var site = new StaticSite();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            site.server = builder.Build();
            site.server.MapGet("/", () => Results.Content(site.Html, "text/html"));
            await site.server.StartAsync(TestContext.Current.CancellationToken);
            site.Origin = site.server.Urls.Single().TrimEnd('/');
            return site;
        }

        public async ValueTask DisposeAsync() => await server.DisposeAsync();
    }
}
