using System.Text;
using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Logs;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>Support-log uploads run as import jobs: summary on the job, counts and rejections with line numbers in the history.</summary>
public sealed class LogImportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Jsonl = """
        {"ticket_id":"T-1","messages":[{"role":"customer","text":"My router blinks red. Mail me at jane@example.com"},{"role":"agent","text":"Hold reset for 10 seconds."}]}
        {"ticket_id":"T-2","messages":[{"role":"user","text":"broken"
        {"ticket_id":"T-3","messages":[{"role":"customer","text":"Where is my parcel?"},{"role":"agent","text":"It ships today."}]}
        """;

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task UploadedLogIsImportedByAJobWithItsSummaryAndRejections()
    {
        using var app = new AdminApp();
        var imports = app.Services.GetRequiredService<LogImports>();
        var runner = app.Services.GetRequiredService<JobRunner>();

        var job = await imports.StartAsync("../logs.jsonl", Utf8(Jsonl), LogFormat.Jsonl, null, "admin@example.com", Ct);
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(job, Ct));
        var row = Assert.Single(await runner.ListAsync(ct: Ct));
        var summary = JsonSerializer.Deserialize<ImportSummary>(row.ResultJson!, LogImports.Json)!;
        Assert.Equal(("logs.jsonl", 2, 0, 1), (summary.FileName, summary.Imported, summary.Duplicates, summary.Rejected));
        Assert.Equal(2, Assert.Single(summary.FirstRejections).Location);
        Assert.Equal("2 imported, 0 duplicates, 1 rejected", row.Message);

        // The same file again: every conversation is a duplicate.
        var again = await imports.StartAsync("logs.jsonl", Utf8(Jsonl), LogFormat.Jsonl, null, "admin@example.com", Ct);
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(again, Ct));
        var history = await imports.HistoryAsync(Ct);
        Assert.Equal([(0, 2, 1), (2, 0, 1)], history.Select(h => (h.Imported, h.Duplicates, h.Rejected)));
        var rejection = Assert.Single(await imports.RejectionsAsync(history[1].Id, ct: Ct));
        Assert.Equal(2, rejection.Location);
        Assert.StartsWith("invalid JSON", rejection.Reason);
    }

    [Fact]
    public async Task CsvUsesTheColumnMapAndABadMapIsRefusedBeforeAnyJob()
    {
        using var app = new AdminApp();
        var imports = app.Services.GetRequiredService<LogImports>();
        var runner = app.Services.GetRequiredService<JobRunner>();
        const string csv = "Ticket,Author,Body\nT-9,customer,Is the store open on Sunday?\nT-9,agent,Yes from 10 to 4.\n";

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            imports.StartAsync("logs.csv", Utf8(csv), LogFormat.Csv, "ticket=Ticket", "admin@example.com", Ct));
        Assert.Contains("unknown field 'ticket'", error.Message);
        Assert.Empty(await runner.ListAsync(ct: Ct));

        var job = await imports.StartAsync("logs.csv", Utf8(csv), LogFormat.Csv, "ticket_id=Ticket,role=Author,text=Body", "admin@example.com", Ct);
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(job, Ct));
        var run = Assert.Single(await imports.HistoryAsync(Ct));
        Assert.Equal(("logs.csv", "csv", 1, 0), (run.FileName, run.Format, run.Imported, run.Rejected));
    }

    [Fact]
    public async Task ImportsAreRedactedWithTheRedactionSettings()
    {
        using var app = new AdminApp(new() { ["Redaction:CustomPatterns:ORDER"] = @"PW-ORD-\d{6}" });
        const string log = """
            {"ticket_id":"R-1","messages":[{"role":"customer","text":"Order PW-ORD-123456 never came, write to jane@example.com"},{"role":"agent","text":"Sorry, resending."}]}
            """;
        var job = await app.Services.GetRequiredService<LogImports>().StartAsync("orders.jsonl", Utf8(log), LogFormat.Jsonl, null, "admin@example.com", Ct);
        Assert.Equal(RunStatus.Completed, await app.Services.GetRequiredService<JobRunner>().WaitAsync(job, Ct));
        await using var db = new ChatPlatform.Core.Storage.PlatformDbContext(
            app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.DbContextOptions<ChatPlatform.Core.Storage.PlatformDbContext>>());
        var text = string.Join("\n", db.Turns.Select(t => t.Text));
        Assert.Contains("Order [ORDER", text);
        Assert.DoesNotContain("PW-ORD-123456", text);
        Assert.DoesNotContain("jane@example.com", text);
    }
}
