using System.Text.RegularExpressions;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// The landing page with the widget embedded, served with the stories260K model on a real socket, in headless Chromium.
/// Playwright's CSS locators reach into the widget's open shadow root.
/// </summary>
public sealed class WidgetBrowserTests : IAsyncLifetime
{
    private AdminApp app = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;
    private string baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        app = new AdminApp(WidgetTestSite.Settings(new(WidgetTestSite.SmallModel)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Serving:Model"] = SharedModels.Folder(SharedModels.Stories260K),
        }));
        app.UseKestrel();
        app.StartServer();
        baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await WidgetTestSite.SeedKnowledgeAsync(app.Services);
        playwright = await Playwright.CreateAsync();
        browser = await HeadlessChromium.LaunchAsync(playwright);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task CustomerAsksSeesTheStreamedAnswerWithSourcesCorrectsItAndFindsTheConversationAfterReload()
    {
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 390, Height = 780 } })).NewPageAsync();
        await page.GotoAsync($"{baseUrl}/");
        await Expect(page.Locator("#chatplatform-widget")).ToHaveAttributeAsync("data-ready", "true");

        var launcher = page.Locator(".launcher");
        await Expect(launcher).ToHaveAttributeAsync("aria-expanded", "false");
        await launcher.ClickAsync();
        await Expect(page.Locator(".panel h2")).ToHaveTextAsync("Zephyr help");
        Assert.Equal(390, (await page.Locator(".panel").BoundingBoxAsync())!.Width);  // a phone-sized screen: the panel takes its width
        await Expect(page.Locator(".msg.greeting")).ToHaveTextAsync("Hello from Zephyr support!");
        var input = page.Locator("textarea.input");
        await Expect(input).ToBeFocusedAsync();

        // counts the answer's text changes, so the test sees the answer arrive in pieces rather than at once
        await page.EvaluateAsync("""
            () => {
              window.answerUpdates = 0;
              const root = document.getElementById("chatplatform-widget").shadowRoot;
              new MutationObserver(records => {
                for (const r of records) if (r.target.classList && r.target.classList.contains("text")) window.answerUpdates++;
              }).observe(root, { subtree: true, childList: true, characterData: true });
            }
            """);
        await input.FillAsync("How long is the Zephyr router warranty?");
        await input.PressAsync("Enter");
        await Expect(page.Locator(".msg.user")).ToHaveTextAsync("How long is the Zephyr router warranty?");
        var answer = page.Locator(".msg.bot[data-message-id]");
        await Expect(answer.Locator(".sources li").First).ToContainTextAsync("Warranty terms › Coverage");
        await Expect(answer.Locator(".sources mark").First).ToHaveTextAsync("Zephyr");  // the question's words, highlighted
        var answerText = await answer.Locator(".text").TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(answerText));
        Assert.True(await page.EvaluateAsync<int>("() => window.answerUpdates") > 1, "the answer did not arrive in pieces");

        await answer.Locator(".thumb-down").ClickAsync();
        await Expect(answer.Locator(".thumb-down")).ToHaveAttributeAsync("aria-pressed", "true");
        const string correction = "Three years from the date of purchase.";
        var box = answer.Locator(".correction textarea");
        await Expect(box).ToBeFocusedAsync();
        await box.FillAsync(correction);
        await answer.Locator(".correction-send").ClickAsync();
        await Expect(answer.Locator(".thanks")).ToHaveTextAsync("Thanks for your feedback.");
        var answerId = long.Parse((await answer.GetAttributeAsync("data-message-id"))!);
        await using (var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>()))
        {
            var example = await db.Examples.AsNoTracking().SingleAsync(e => e.SourceId == answerId.ToString(), TestContext.Current.CancellationToken);
            Assert.Equal(ExampleStatus.Pending, example.Status);
            Assert.Equal(correction, example.Messages[^1].Content);
        }

        await page.ReloadAsync();
        await Expect(page.Locator("#chatplatform-widget")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(page.Locator(".panel")).ToBeVisibleAsync();  // it was open, so it opens again
        await Expect(page.Locator(".msg.user")).ToHaveTextAsync("How long is the Zephyr router warranty?");
        await Expect(page.Locator(".msg.bot[data-message-id] .text")).ToHaveTextAsync(answerText!);
        await Expect(page.Locator(".msg.bot[data-message-id] .sources")).ToContainTextAsync("Warranty terms");
        await Expect(page.Locator(".msg.bot[data-message-id] .thumb-down")).ToHaveAttributeAsync("aria-pressed", "true");

        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".panel")).ToBeHiddenAsync();
        await Expect(launcher).ToBeFocusedAsync();
        await Expect(launcher).ToHaveAttributeAsync("aria-label", new Regex("Open chat"));
    }
}
