using Microsoft.Playwright;

namespace ChatPlatform.Web.Tests;

/// <summary>Debian's Chromium (scripts/setup.sh installs it) driven headless by Playwright, as every browser test launches it.</summary>
internal static class HeadlessChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
}
