using System.Text.RegularExpressions;
using ChatPlatform.Web.Admin;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>The Users page in headless Chromium: its buttons work over the circuit, the one-time password is shown once and signs in.</summary>
public sealed class UsersBrowserTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminAddsAReviewerWhoseOneTimePasswordSignsInThenDisablesThem()
    {
        var page = await browser.SignedInPageAsync();
        await browser.OpenAsync(page, "/admin/users");
        // The prerendered form is in the page before the circuit is: wait for the circuit, or the typed address is lost.
        await Expect(page.Locator("#add-user-form[data-interactive]")).ToHaveCountAsync(1);
        await page.FillAsync("#new-user-email", "browser.reviewer@example.com");
        await page.SelectOptionAsync("#new-user-role", "reviewer");
        await page.ClickAsync("#add-user");

        await Expect(page.Locator("#one-time-password")).ToHaveTextAsync(new Regex("^[A-Za-z0-9]{20}$"));
        var oneTime = await page.Locator("#one-time-password").InnerTextAsync();
        var row = page.Locator("tr[data-user=\"browser.reviewer@example.com\"]");
        await Expect(row.Locator(".user-role")).ToHaveTextAsync("reviewer");

        // A separate client (no browser cookies) signs in with it and is sent to choose a password.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(browser.BaseUrl) };
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, "browser.reviewer@example.com", oneTime), AccountEndpoints.PasswordPath);

        await page.ClickAsync("#dismiss-one-time-password");
        await Expect(page.Locator("#one-time-password-panel")).ToHaveCountAsync(0);
        await row.Locator(".disable-user").ClickAsync();
        await Expect(row).ToHaveClassAsync(new Regex("user-disabled"));
        AdminApp.AssertRedirect(await client.GetAsync("/admin/password", Ct), AccountEndpoints.LoginPath);

        // The only admin cannot step down: a clear error, no change.
        await page.Locator($"tr[data-user=\"{AdminApp.AdminEmail}\"] .make-reviewer").ClickAsync();
        await Expect(page.Locator("#users-error")).ToContainTextAsync("is the last active admin");
        await Expect(page.Locator($"tr[data-user=\"{AdminApp.AdminEmail}\"] .user-role")).ToHaveTextAsync("admin");
        await page.Context.CloseAsync();
    }
}
