using System.Text.RegularExpressions;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>End-to-end in headless Chromium: Retrain with live progress through the circuit, activation (a hot swap), the playground, log import.</summary>
public sealed class TrainingBrowserTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RetrainShowsLiveProgressThenTheRunAndItsModelVersionCanBeActivated()
    {
        SharedModels.Folder(SharedModels.Stories260K);
        var jsonl = Path.Combine(browser.App.DataDirectory, "approved.jsonl");
        await File.WriteAllLinesAsync(jsonl, Enumerable.Range(1, 6).Select(i =>
            $$"""{"messages":[{"role":"user","content":"How do I reset router {{i}}?"},{"role":"assistant","content":"Hold its reset button for ten seconds."}]}"""), Ct);
        await browser.App.Services.GetRequiredService<DatasetService>().ImportAsync(jsonl, DatasetFormat.OpenAI, approve: true, "test", cancellationToken: Ct);

        var page = await browser.SignedInPageAsync();
        await browser.OpenAsync(page, "/admin/training");
        await Expect(page.Locator("#retrain")).ToBeEnabledAsync();
        await page.ClickAsync("#advanced summary");
        await Expect(page.Locator("#advanced")).ToContainTextAsync("LoRA rank");
        await page.ClickAsync("#retrain");

        // Pushed through the circuit without a reload: the live block, the log and finally the finished run.
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("registered model version", new() { Timeout = 120_000 });
        await Expect(page.Locator("#live-step")).ToHaveTextAsync(new Regex(@"^(\d+)/\1$"));
        await Expect(page.Locator("#runs tr.run").First).ToContainTextAsync("Completed");
        await Screenshot(page, "training-progress");

        await browser.OpenAsync(page, "/admin/jobs");
        await Expect(page.Locator("#jobs tr.job").First).ToContainTextAsync("Completed");
        await browser.OpenAsync(page, "/admin");
        await Expect(page.Locator("#last-run")).ToContainTextAsync("Completed (lora");

        await browser.OpenAsync(page, "/admin/models");
        await page.ClickAsync("#models tr.model-version button");
        await page.ClickAsync(".rz-dialog button:has-text('Activate')");
        await Expect(page.Locator("#models tr.model-version.active")).ToHaveCountAsync(1);
        await using var db = new PlatformDbContext(browser.App.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        var version = await db.ModelVersions.AsNoTracking().SingleAsync(Ct);
        Assert.True(version.IsActive);
        Assert.Contains("model.activate", (await browser.App.AuditAsync()).Select(a => a.Action));
        await Expect(page.Locator("#serving-model")).ToHaveTextAsync(version.Name);  // swapped in live
        await Screenshot(page, "models-activated");

        // The playground asks the new version and its base the same question; answers stream with their sources.
        await WidgetTestSite.SeedKnowledgeAsync(browser.App.Services);
        await browser.OpenAsync(page, "/admin/playground");
        await Expect(page.Locator("#model-0 option:checked")).ToContainTextAsync(version.Name);
        await page.FillAsync("#question", "How long is the Zephyr router warranty?");
        await page.ClickAsync("#ask");
        foreach (var side in new[] { "#side-0", "#side-1" })
        {
            await Expect(page.Locator($"{side}[data-state=done]")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            await Expect(page.Locator($"{side} .playground-answer")).Not.ToBeEmptyAsync();
            await Expect(page.Locator($"{side} .side-state")).ToContainTextAsync("pieces streamed");
            await Expect(page.Locator($"{side} .playground-sources li").First).ToContainTextAsync("Warranty terms");
            await Expect(page.Locator($"{side} .budget-window")).ToHaveTextAsync("512");
        }
        await Expect(page.Locator("#side-0 h2")).ToHaveTextAsync(version.Name);
        await Screenshot(page, "playground");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(PageScreenshotTests.ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(PageScreenshotTests.ScreenshotFolder, $"{name}.png"), FullPage = true });
    }

    [Fact]
    public async Task UploadedSupportLogIsImportedAndListedWithItsRejections()
    {
        var folder = Directory.CreateTempSubdirectory("chatplatform-logs-").FullName;
        var file = Path.Combine(folder, "tickets.jsonl");
        await File.WriteAllTextAsync(file, """
            {"ticket_id":"B-1","messages":[{"role":"customer","text":"Is the shop open on Sunday?"},{"role":"agent","text":"Yes, from 10 to 4."}]}
            {"ticket_id":"B-2","messages":[{"role":"bot","text":"hello"}]}
            """, Ct);

        var page = await browser.SignedInPageAsync();
        await browser.OpenAsync(page, "/admin/logs");
        await page.SetInputFilesAsync("#log-file", file);
        await Expect(page.Locator("#import-summary")).ToContainTextAsync("tickets.jsonl: 1 imported, 0 duplicates, 1 rejected");
        await Expect(page.Locator("#import-progress")).ToContainTextAsync("line 2: messages[0].role: unknown role 'bot'");
        await Expect(page.Locator("#imports tr.import-run").First).ToContainTextAsync("tickets.jsonl");
        await page.ClickAsync("#imports tr.import-run");
        await Expect(page.Locator("#rejections")).ToContainTextAsync("line 2");
        Directory.Delete(folder, recursive: true);
    }
}
