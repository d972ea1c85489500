using System.Text.RegularExpressions;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Rag.Indexing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatPlatform.Web.Tests;

/// <summary>End-to-end in headless Chromium: the interactive pages work with the circuit, keyboard and file input.</summary>
public sealed class AdminBrowserTests(BrowserApp browser) : IClassFixture<BrowserApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReviewerApprovesWithTheKeyboardAndCreatesASnapshot()
    {
        var services = browser.App.Services;
        var jsonl = Path.Combine(browser.App.DataDirectory, "examples.jsonl");
        await File.WriteAllLinesAsync(jsonl, [
            """{"messages":[{"role":"user","content":"How do I reset my router?"},{"role":"assistant","content":"Hold the reset button for ten seconds."}]}""",
            """{"messages":[{"role":"user","content":"Where is my invoice?"},{"role":"assistant","content":"Under Billing, then Invoices."}]}""",
        ], Ct);
        await services.GetRequiredService<DatasetService>().ImportAsync(jsonl, DatasetFormat.OpenAI, approve: false, "test", cancellationToken: Ct);
        var ids = (await services.GetRequiredService<ReviewService>().ListAsync(new ExampleQuery(), cancellationToken: Ct)).Items.Select(e => e.Id).ToList();

        var page = await browser.SignedInPageAsync();
        await browser.OpenAsync(page, "/admin/review");
        await Expect(page.Locator("#current-example")).ToHaveAttributeAsync("data-id", ids[0].ToString());
        await Expect(page.Locator("#stat-pending")).ToHaveTextAsync(new Regex(@"Pending\s*2"));

        await page.Keyboard.PressAsync("a");
        await Expect(page.Locator("#stat-approved")).ToHaveTextAsync(new Regex(@"Approved\s*1"));
        await Expect(page.Locator("#current-example")).ToHaveAttributeAsync("data-id", ids[1].ToString());
        var first = await services.GetRequiredService<ReviewService>().GetAsync(ids[0], Ct);
        Assert.Equal(ExampleStatus.Approved, first.Status);
        Assert.Equal(AdminApp.AdminEmail, first.ReviewedBy);

        await page.ClickAsync("#create-snapshot");
        await Expect(page.Locator("#snapshot-result")).ToContainTextAsync("Snapshot v1: 1 approved examples");
        var snapshot = Assert.Single(await services.GetRequiredService<DatasetService>().ListSnapshotsAsync(Ct));
        Assert.Equal(AdminApp.AdminEmail, snapshot.CreatedBy);
        var audit = (await browser.App.AuditAsync()).Select(a => a.Action).ToList();
        Assert.Contains("example.approve", audit);
        Assert.Contains("snapshot.create", audit);
    }

    [Fact]
    public async Task UploadedMarkdownIsListedWithItsChunksAndFoundBySearch()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("chatplatform-upload-").FullName, "warranty-terms.md");
        await File.WriteAllTextAsync(file, """
            # Warranty terms

            ## Coverage
            Every Zephyr router carries a warranty of three years from the date of purchase.

            ## Claims
            To claim, send the serial number and the receipt to support. Replacement units ship within five days.
            """, Ct);

        var page = await browser.SignedInPageAsync();
        await browser.OpenAsync(page, "/admin/knowledge");
        await page.SetInputFilesAsync("#knowledge-files", file);
        await Expect(page.Locator("#uploads")).ToContainTextAsync(new Regex(@"warranty-terms\.md[\s\S]*added: \d+ chunks"));

        var stored = Assert.Single(browser.App.Services.GetRequiredService<KnowledgeStore>().ListDocuments(), d => d.Title == "Warranty terms");
        await Expect(page.Locator(".chunk-count[data-document='Warranty terms']")).ToHaveTextAsync(stored.ChunkCount.ToString());

        await page.FillAsync("#knowledge-query", "zephyr warranty");
        await page.ClickAsync("#knowledge-search");
        await Expect(page.Locator("#search-results li").First).ToContainTextAsync("Warranty terms");
        await Expect(page.Locator("#search-results li").First).ToContainTextAsync("BM25");
        Assert.Contains("knowledge.upload", (await browser.App.AuditAsync()).Select(a => a.Action));
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }
}
