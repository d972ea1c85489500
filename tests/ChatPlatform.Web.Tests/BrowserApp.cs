using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// The admin console on a real loopback socket and headless Debian Chromium driven by Playwright
/// (../shared/DEPENDENCIES.md §5; `chromium` comes from scripts/setup.sh). One app and one browser per test class.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    /// <summary>The Training page's base model is the tiny pretrained stories260K (Retrain is disabled when it is missing).</summary>
    public AdminApp App { get; } = new(new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["Platform:BaseModel"] = Path.Combine(TestPaths.SharedDir, "models", SharedModels.Stories260K),
        // stories260K's context is 512 tokens: a short system prompt and answer leave the playground room for a source
        ["Widget:SystemPrompt"] = "Answer from the sources.",
        ["Widget:MaxAnswerTokens"] = "48",
    });
    public string BaseUrl { get; private set; } = "";
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async ValueTask InitializeAsync()
    {
        App.UseKestrel();
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        browser = await HeadlessChromium.LaunchAsync(playwright);
    }

    /// <summary>A fresh browser context (no cookies), signed in as the admin through the sign-in page.</summary>
    public async Task<IPage> SignedInPageAsync()
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/admin/login");
        await page.FillAsync("#email", AdminApp.AdminEmail);
        await page.FillAsync("#password", AdminApp.AdminPassword);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync($"{BaseUrl}/admin");
        return page;
    }

    private Task<IBrowserContext>? sharedSession;

    /// <summary>
    /// One signed-in context shared by the tests of a class that open many pages: sign-in is limited to
    /// Admin:LoginAttemptsPerMinute per IP, and the tests' requests all come from 127.0.0.1.
    /// </summary>
    public Task<IBrowserContext> SharedSessionAsync() => sharedSession ??= SignInAsync();

    private async Task<IBrowserContext> SignInAsync() => (await SignedInPageAsync()).Context;

    /// <summary>Opens a page and waits until its Blazor circuit is connected (no network activity left).</summary>
    public async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync($"{BaseUrl}{path}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await App.DisposeAsync();
    }
}
