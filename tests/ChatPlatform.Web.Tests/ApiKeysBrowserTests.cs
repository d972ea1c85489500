using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Serving;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>The API keys page in headless Chromium: a key is shown once at creation, then only its prefix; Revoke asks first.</summary>
public sealed class ApiKeysBrowserTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AdminCreatesAKeySeesItOnceAndRevokesIt()
    {
        var page = await browser.SignedInPageAsync();
        await Expect(page.Locator("nav a[href='admin/api-keys']")).ToHaveTextAsync("API keys");
        await browser.OpenAsync(page, "/admin/api-keys");
        await Expect(page.Locator("#api-key-create")).ToBeDisabledAsync();  // a key needs a name
        await page.FillAsync("#api-key-name", "browser test bot");
        await page.ClickAsync("#api-key-create");
        var key = (await page.Locator("#api-key-value").TextContentAsync())!.Trim();
        Assert.StartsWith(ManagedApiKeys.KeyPrefix, key);
        var row = page.Locator("tr.api-key", new() { HasText = "browser test bot" });
        await Expect(row.Locator(".api-key-status")).ToHaveTextAsync("active");

        await using (var db = new PlatformDbContext(browser.App.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>()))
        {
            var stored = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Name == "browser test bot", TestContext.Current.CancellationToken);
            Assert.Equal(ManagedApiKeys.HashOf(key), stored.KeyHash);
            await Expect(row).ToContainTextAsync(stored.Prefix);
        }

        await browser.OpenAsync(page, "/admin/api-keys");
        await Expect(page.Locator("#api-key-created")).ToHaveCountAsync(0);  // shown once
        Assert.DoesNotContain(key, await page.ContentAsync());

        await row.Locator("button:has-text('Revoke')").ClickAsync();
        await page.ClickAsync(".rz-dialog button:has-text('Revoke')");
        await Expect(row.Locator(".api-key-status")).ToContainTextAsync($"revoked");
        await Expect(row.Locator(".api-key-status")).ToContainTextAsync(AdminApp.AdminEmail);
        await Expect(row.Locator("button:has-text('Revoke')")).ToHaveCountAsync(0);
    }
}
