using ChatPlatform.Core.Demo;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// Every page of the console on the demo data in headless Chromium, each saved as a screenshot under
/// artifacts/screenshots (the CI artefacts; README's pictures are copies of two of them): the page renders its
/// heading, the browser logs no error, and the circuit is up.
/// </summary>
public sealed class PageScreenshotTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string ScreenshotFolder => Path.Combine(TestPaths.RepositoryRoot, "artifacts", "screenshots");

    public static TheoryData<string, string> Pages => new()
    {
        { "/", "home" },
        { "/admin", "dashboard" },
        { "/admin/knowledge", "knowledge" },
        { "/admin/logs", "support-logs" },
        { "/admin/review", "review" },
        { "/admin/training", "training" },
        { "/admin/models", "models" },
        { "/admin/jobs", "jobs" },
        { "/admin/settings", "settings" },
        { "/admin/playground", "playground-empty" },
        { "/admin/users", "users" },
        { "/admin/api-keys", "api-keys" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PageRendersOnTheDemoDataWithoutBrowserErrors(string path, string name)
    {
        await DemoOnce(browser);
        var page = await (await browser.SharedSessionAsync()).NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);

        await browser.OpenAsync(page, path);
        await Expect(page.Locator("h1").First).ToBeVisibleAsync();
        Directory.CreateDirectory(ScreenshotFolder);
        var file = Path.Combine(ScreenshotFolder, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });

        Assert.Empty(errors);
        Assert.True(new FileInfo(file).Length > 10_000, $"{file} looks empty");
        await page.CloseAsync();
    }

    private static readonly SemaphoreSlim DemoGate = new(1, 1);

    /// <summary>The demo knowledge and support logs, loaded into this fixture's data directory by the first test.</summary>
    private static async Task DemoOnce(BrowserApp browser)
    {
        await DemoGate.WaitAsync(Ct);
        try
        {
            await DemoData.LoadIfEmptyAsync(browser.App.DataDirectory, Path.Combine(TestPaths.RepositoryRoot, "knowledge"), cancellationToken: Ct);
        }
        finally
        {
            DemoGate.Release();
        }
    }
}
