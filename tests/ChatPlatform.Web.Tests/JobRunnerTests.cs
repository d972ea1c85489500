using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Admin.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatPlatform.Web.Tests;

/// <summary>The background job runner over a database of its own: runs, progress, one training at a time, cancel, restart.</summary>
public sealed class JobRunnerTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string directory = Directory.CreateTempSubdirectory("chatplatform-jobs-").FullName;
    private readonly DbContextOptions<PlatformDbContext> database;

    public JobRunnerTests() => database = PlatformDatabase.Initialize(directory);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private JobRunner NewRunner() => new(new PlatformDbContextFactory(database), NullLogger<JobRunner>.Instance);

    private async Task<Job> RowAsync(long id)
    {
        await using var db = new PlatformDbContext(database);
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct);
    }

    [Fact]
    public async Task JobRunsReportsProgressLiveAndKeepsItsResultOnTheRow()
    {
        await using var runner = NewRunner();
        await runner.StartAsync(Ct);
        var updates = new List<JobUpdate>();
        runner.Changed += u => { lock (updates) updates.Add(u); };

        var id = await runner.EnqueueAsync(JobKinds.Import, new { file = "a.jsonl" }, "tester", context =>
        {
            context.Report(0.5, "half way");
            return Task.FromResult<string?>("{\"imported\":3}");
        }, Ct);
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(id, Ct));

        var row = await RowAsync(id);
        Assert.Equal((RunStatus.Completed, 1.0, "{\"imported\":3}", "tester"), (row.Status, row.Progress, row.ResultJson, row.CreatedBy));
        Assert.Equal("{\"file\":\"a.jsonl\"}", row.PayloadJson);
        Assert.NotNull(row.StartedAt);
        Assert.NotNull(row.FinishedAt);
        lock (updates)
        {
            Assert.Contains(updates, u => u.Id == id && u.Status == RunStatus.Running && u.Progress == 0.5 && u.Message == "half way");
            Assert.Equal(RunStatus.Completed, updates[^1].Status);
        }
        Assert.False(runner.IsActive(id));
    }

    [Fact]
    public async Task ProgressOfARunningJobIsWrittenToItsRow()
    {
        await using var runner = NewRunner();
        await runner.StartAsync(Ct);
        var release = new TaskCompletionSource();
        var id = await runner.EnqueueAsync(JobKinds.Training, null, "tester", async context =>
        {
            context.Report(0.3, "step 3/10");
            await release.Task;
            return null;
        }, Ct);
        // The row is written off the reporting thread: wait until it shows the report (the test's own timeout bounds this).
        Job row;
        while ((row = await RowAsync(id)).Message != "step 3/10") await Task.Delay(20, Ct);
        Assert.Equal((RunStatus.Running, 0.3), (row.Status, row.Progress));
        release.SetResult();
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(id, Ct));
    }

    [Fact]
    public async Task TrainingJobsRunOneAtATimeWhileAnImportRunsBeside()
    {
        await using var runner = NewRunner();
        await runner.StartAsync(Ct);
        var firstStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = await runner.EnqueueAsync(JobKinds.Training, null, "tester", async _ =>
        {
            firstStarted.SetResult();
            await release.Task;
            return null;
        }, Ct);
        var second = await runner.EnqueueAsync(JobKinds.Training, null, "tester", _ => Task.FromResult<string?>(null), Ct);
        await firstStarted.Task.WaitAsync(Ct);

        // An import is not held up by the running training.
        var import = await runner.EnqueueAsync(JobKinds.Import, null, "tester", _ => Task.FromResult<string?>(null), Ct);
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(import, Ct));
        Assert.Equal(RunStatus.Running, (await RowAsync(first)).Status);
        Assert.Equal(RunStatus.Pending, (await RowAsync(second)).Status);

        release.SetResult();
        Assert.Equal(RunStatus.Completed, await runner.WaitAsync(second, Ct));
        Assert.True((await RowAsync(second)).StartedAt >= (await RowAsync(first)).FinishedAt);
    }

    [Fact]
    public async Task CancelStopsARunningJobAndAQueuedOneAndIsAudited()
    {
        await using var runner = NewRunner();
        await runner.StartAsync(Ct);
        var started = new TaskCompletionSource();
        var running = await runner.EnqueueAsync(JobKinds.Training, null, "tester", async context =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return null;
        }, Ct);
        var queuedRan = false;
        var queued = await runner.EnqueueAsync(JobKinds.Training, null, "tester", _ =>
        {
            queuedRan = true;
            return Task.FromResult<string?>(null);
        }, Ct);
        await started.Task.WaitAsync(Ct);

        Assert.True(await runner.CancelAsync(queued, "admin@example.com", Ct));
        Assert.True(await runner.CancelAsync(running, "admin@example.com", Ct));
        Assert.Equal(RunStatus.Cancelled, await runner.WaitAsync(running, Ct));
        Assert.Equal(RunStatus.Cancelled, await runner.WaitAsync(queued, Ct));
        Assert.False(queuedRan);
        Assert.Equal(RunStatus.Cancelled, (await RowAsync(running)).Status);
        Assert.False(await runner.CancelAsync(running, "admin@example.com", Ct));

        await using var db = new PlatformDbContext(database);
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.Action == "job.cancel" && a.Actor == "admin@example.com", Ct));
    }

    [Fact]
    public async Task FailingWorkMarksTheJobFailedWithItsMessage()
    {
        await using var runner = NewRunner();
        await runner.StartAsync(Ct);
        var id = await runner.EnqueueAsync(JobKinds.Import, null, "tester",
            _ => throw new InvalidDataException("logs.csv:3: no 'text' column"), Ct);
        Assert.Equal(RunStatus.Failed, await runner.WaitAsync(id, Ct));
        Assert.Equal("failed: logs.csv:3: no 'text' column", (await RowAsync(id)).Message);
    }

    [Fact]
    public async Task JobsLeftRunningOrPendingByAPreviousProcessAreMarkedInterruptedAtStartUp()
    {
        long running, pending, done;
        await using (var db = new PlatformDbContext(database))
        {
            var rows = new[]
            {
                new Job { Kind = JobKinds.Training, Status = RunStatus.Running, Progress = 0.4, Message = "step 4/10", CreatedAt = DateTimeOffset.UtcNow },
                new Job { Kind = JobKinds.Import, Status = RunStatus.Pending, CreatedAt = DateTimeOffset.UtcNow },
                new Job { Kind = JobKinds.Import, Status = RunStatus.Completed, Progress = 1, CreatedAt = DateTimeOffset.UtcNow },
            };
            db.Jobs.AddRange(rows);
            db.TrainingRuns.Add(new TrainingRunRecord { SnapshotId = 1, Method = "lora", SettingsJson = "{}", Status = RunStatus.Running });
            await db.SaveChangesAsync(Ct);
            (running, pending, done) = (rows[0].Id, rows[1].Id, rows[2].Id);
        }

        await using var runner = NewRunner();
        await runner.StartAsync(Ct);

        var r = await RowAsync(running);
        Assert.Equal(RunStatus.Interrupted, r.Status);
        Assert.Contains("step 4/10", r.Message);
        Assert.NotNull(r.FinishedAt);
        Assert.Equal(RunStatus.Interrupted, (await RowAsync(pending)).Status);
        Assert.Equal(RunStatus.Completed, (await RowAsync(done)).Status);
        Assert.Equal(RunStatus.Interrupted, await runner.WaitAsync(running, Ct));
        await using var check = new PlatformDbContext(database);
        Assert.Equal(RunStatus.Interrupted, (await check.TrainingRuns.AsNoTracking().SingleAsync(Ct)).Status);
    }

    [Fact]
    public async Task StoppingTheAppInterruptsTheRunningJob()
    {
        var runner = NewRunner();
        await runner.StartAsync(Ct);
        var started = new TaskCompletionSource();
        var id = await runner.EnqueueAsync(JobKinds.Training, null, "tester", async context =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return null;
        }, Ct);
        await started.Task.WaitAsync(Ct);
        await runner.DisposeAsync();
        Assert.Equal(RunStatus.Interrupted, (await RowAsync(id)).Status);
    }
}
