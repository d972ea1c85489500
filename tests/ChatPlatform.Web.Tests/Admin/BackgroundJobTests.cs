using System.Text.Json;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Training.Trainer;
using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Admin.Examples;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Starter;
using ChatPlatform.Web.Admin.Training;
using ChatPlatform.Web.Components.Admin;
using ChatPlatform.Web.Components.Pages.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests.Admin;

/// <summary>Indexing, example generation, resume after a restart and the starter model as persisted background jobs.</summary>
public sealed class BackgroundJobTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Job> JobAsync(AdminApp app, long id)
    {
        await using var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct);
    }

    private static async Task<long> IndexAsync(AdminApp app, params (string Name, string Text)[] files)
    {
        var knowledge = app.Services.GetRequiredService<KnowledgeAdmin>();
        var names = new List<string>();
        foreach (var (name, text) in files)
        {
            using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
            names.Add((await knowledge.SaveUploadAsync(name, content, ct: Ct)).Name!);
        }
        return await app.Services.GetRequiredService<KnowledgeIndexing>().IndexUploadsAsync(names, "admin@example.com", ct: Ct);
    }

    [Fact]
    public async Task AnUploadIsIndexedByAPersistedJobThatReportsEachFilesOutcome()
    {
        using var app = new AdminApp();
        var seen = new List<IndexedFile>();
        var knowledge = app.Services.GetRequiredService<KnowledgeAdmin>();
        using (var good = new MemoryStream("# Returns\n\nReturn the lamp within 30 days for a full refund."u8.ToArray()))
            await knowledge.SaveUploadAsync("returns.md", good, ct: Ct);
        using (var bad = new MemoryStream([]))
            await knowledge.SaveUploadAsync("empty.md", bad, ct: Ct);
        var id = await app.Services.GetRequiredService<KnowledgeIndexing>().IndexUploadsAsync(["returns.md", "empty.md"], "admin@example.com", seen.Add, Ct);

        Assert.Equal(RunStatus.Completed, await app.Services.GetRequiredService<JobRunner>().WaitAsync(id, Ct));
        var job = await JobAsync(app, id);
        Assert.Equal((JobKinds.Indexing, 1.0), (job.Kind, job.Progress));
        Assert.Contains("1 of 2 file(s) indexed, 1 failed", job.Message);
        var results = KnowledgeIndexing.Results(job.ResultJson);
        Assert.Equal(["returns.md", "empty.md"], results.Select(r => r.File));
        Assert.False(results[0].Failed);
        Assert.True(results[0].Chunks >= 1);
        Assert.True(results[1].Failed);
        Assert.False(string.IsNullOrWhiteSpace(results[1].Error));
        Assert.Equal(results, seen);
        Assert.Contains(app.Services.GetRequiredService<KnowledgeStore>().ListDocuments(), d => d.Title == "Returns");
    }

    [Fact]
    public async Task ExamplesAreGeneratedFromDocumentsByAJob()
    {
        using var app = new AdminApp();
        Assert.Equal(RunStatus.Completed, await app.Services.GetRequiredService<JobRunner>().WaitAsync(
            await IndexAsync(app, ("faq.md", "# FAQ\n\n## How long is the warranty?\n\nTwo years from the date of purchase.\n\n## Can I return it?\n\nYes, within 30 days.\n")), Ct));

        var id = await app.Services.GetRequiredService<ExampleGeneration>().StartAsync(GenerationSource.Documents, "admin@example.com", ct: Ct);
        Assert.Equal(RunStatus.Completed, await app.Services.GetRequiredService<JobRunner>().WaitAsync(id, Ct));
        var job = await JobAsync(app, id);
        Assert.Equal(JobKinds.Generation, job.Kind);
        Assert.True(JsonDocument.Parse(job.ResultJson!).RootElement.GetProperty("Created").GetInt32() >= 2, job.ResultJson);
        await using var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        Assert.Contains(await db.Examples.AsNoTracking().ToListAsync(Ct), e => e.Messages.Any(m => m.Content.Contains("warranty")));
    }

    private static async Task ApproveAsync(AdminApp app, int count)
    {
        var lines = Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = $"How do I reset router {i}?" }, new { role = "assistant", content = $"Hold reset on router {i} for ten seconds." } },
        }));
        var file = Path.Combine(app.DataDirectory, "approved.jsonl");
        await File.WriteAllLinesAsync(file, lines, Ct);
        await app.Services.GetRequiredService<DatasetService>().ImportAsync(file, DatasetFormat.OpenAI, approve: true, "test", cancellationToken: Ct);
    }

    /// <summary>Starts a run and stops the app's job runner (as a host shutdown does) once the run has passed <paramref name="stopAtStep"/>.</summary>
    private static async Task<RetrainStarted> RunUntilTheAppStopsAsync(AdminApp app, RetrainSettings settings, int stopAtStep)
    {
        var runner = app.Services.GetRequiredService<JobRunner>();
        var monitor = app.Services.GetRequiredService<TrainingMonitor>();
        var stopped = 0;
        monitor.Changed += () =>
        {
            if (monitor.Last is { Kind: TrainingEventKind.Step } last && last.Step >= stopAtStep && Interlocked.Exchange(ref stopped, 1) == 0)
                _ = runner.StopAsync(CancellationToken.None);
        };
        var started = await app.Services.GetRequiredService<RetrainService>().StartAsync(settings, "admin@example.com", Ct);
        Assert.Equal(RunStatus.Interrupted, await runner.WaitAsync(started.JobId, Ct));
        return started;
    }

    [Fact]
    public async Task ARunInterruptedByARestartResumesFromItsCheckpointInTheNextAppAndRegistersAVersion()
    {
        var model = SharedModels.Folder(SharedModels.Stories260K);
        var data = Directory.CreateTempSubdirectory("chatplatform-resume-").FullName;
        var settings = new RetrainSettings { Epochs = 4, MaxLength = 64, BatchSize = 1, LoraRank = 4, LoraAlpha = 8, CheckpointEverySteps = 2 };
        try
        {
            RetrainStarted started;
            using (var first = new AdminApp(new() { ["Platform:BaseModel"] = model }, dataDirectory: data))
            {
                await ApproveAsync(first, 6);
                started = await RunUntilTheAppStopsAsync(first, settings, stopAtStep: 3);
            }

            using var second = new AdminApp(new() { ["Platform:BaseModel"] = model }, dataDirectory: data);
            var retrain = second.Services.GetRequiredService<RetrainService>();
            var point = await retrain.ResumePointAsync(started.RunId, Ct);
            Assert.True(point.CanResume, point.Message);
            Assert.True(point.CheckpointStep >= 2, point.Message);

            var html = await ComponentRender.HtmlAsync<Jobs>(second.Services);
            Assert.Contains($"Resume from step {point.CheckpointStep}", html);

            var monitor = second.Services.GetRequiredService<TrainingMonitor>();
            var steps = new List<int>();
            monitor.Changed += () =>
            {
                if (monitor.Last is { Kind: TrainingEventKind.Step } last) lock (steps) steps.Add(last.Step);
            };
            var job = await retrain.ResumeAsync(started.RunId, "admin@example.com", Ct);
            Assert.Equal(RunStatus.Completed, await second.Services.GetRequiredService<JobRunner>().WaitAsync(job, Ct));

            Assert.True(steps.Count > 0 && steps.Min() == point.CheckpointStep + 1, $"resumed steps: {string.Join(",", steps)}");
            await using var db = new PlatformDbContext(second.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
            var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == started.RunId, Ct);
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Equal(steps.Max(), (int)RunMetrics.Number(run.MetricsJson, "result", "steps")!.Value);
            var version = await db.ModelVersions.AsNoTracking().SingleAsync(Ct);
            Assert.Equal(started.RunId, version.TrainingRunId);
            Assert.Contains((await second.AuditAsync()).Select(a => a.Action), a => a == "training.resume");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task ARunWithoutACheckpointSaysSoAndRestartsFromStepZero()
    {
        var model = SharedModels.Folder(SharedModels.Stories260K);
        using var app = new AdminApp(new() { ["Platform:BaseModel"] = model });
        await ApproveAsync(app, 6);
        // No step checkpoints and one long epoch: stopped at step 1, there is nothing to resume from.
        var started = await RunUntilTheAppStopsAsync(app,
            new RetrainSettings { Epochs = 1, MaxLength = 64, BatchSize = 1, LoraRank = 4, LoraAlpha = 8, CheckpointEverySteps = 0 }, stopAtStep: 1);

        // The same process stands in for the next one: its runner stopped, a fresh one serves the restart.
        using var next = new AdminApp(new() { ["Platform:BaseModel"] = model }, dataDirectory: app.DataDirectory);
        var retrain = next.Services.GetRequiredService<RetrainService>();
        var point = await retrain.ResumePointAsync(started.RunId, Ct);
        Assert.False(point.CanResume);
        Assert.Contains("stopped before its first checkpoint: restart it", point.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => retrain.ResumeAsync(started.RunId, "admin", Ct));
        var html = await ComponentRender.HtmlAsync<ResumeRunButtons>(next.Services, new() { ["RunId"] = started.RunId });
        Assert.Contains("Restart", html);
        Assert.DoesNotContain("Resume from", html);

        var job = await retrain.RestartAsync(started.RunId, "admin@example.com", Ct);
        Assert.Equal(RunStatus.Completed, await next.Services.GetRequiredService<JobRunner>().WaitAsync(job, Ct));
        await using var db = new PlatformDbContext(next.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        Assert.Equal(RunStatus.Completed, (await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == started.RunId, Ct)).Status);
    }

    [Fact]
    public async Task TheStarterModelIsPretrainedOnTheKnowledgeAndBecomesTheBaseModel()
    {
        using var app = new AdminApp();
        var starter = app.Services.GetRequiredService<StarterModel>();
        var retrain = app.Services.GetRequiredService<RetrainService>();
        Assert.NotNull(starter.Unavailable);
        var offer = await ComponentRender.HtmlAsync<StarterModelOffer>(app.Services);
        Assert.Contains("id=\"starter-unavailable\"", offer);

        var text = string.Join("\n\n", Enumerable.Range(1, 40).Select(i => $"## Topic {i}\n\nThe lamp model {i} needs a 12 V adapter and mounts on wall bracket {i}."));
        Assert.Equal(RunStatus.Completed, await app.Services.GetRequiredService<JobRunner>().WaitAsync(await IndexAsync(app, ("manual.md", "# Manual\n\n" + text)), Ct));
        Assert.Null(starter.Unavailable);
        Assert.Contains("Create starter model", await ComponentRender.HtmlAsync<StarterModelOffer>(app.Services));

        var id = await starter.StartAsync("admin@example.com", new StarterModelSettings(Epochs: 1, BlockLength: 128), Ct);
        var status = await app.Services.GetRequiredService<JobRunner>().WaitAsync(id, Ct);
        var job = await JobAsync(app, id);
        Assert.True(status == RunStatus.Completed, job.Message);
        Assert.Equal(JobKinds.Training, job.Kind);
        Assert.True(File.Exists(Path.Combine(starter.ModelFolder, "config.json")));
        Assert.True(File.Exists(Path.Combine(starter.ModelFolder, "tokenizer.json")));
        Assert.Equal(starter.ModelFolder, retrain.BaseModel);
        Assert.Null(retrain.Unavailable);
        Assert.Contains("starter", File.ReadAllText(Path.Combine(app.DataDirectory, "settings.json")));
        // With a base model the offer is gone.
        Assert.DoesNotContain("starter-model", await ComponentRender.HtmlAsync<StarterModelOffer>(app.Services));
        // The model loads and its tokenizer round-trips the knowledge's text.
        var tokenizer = ChatPlatform.Llm.Tokenization.HfTokenizer.FromDirectory(starter.ModelFolder);
        Assert.Equal("wall bracket 7", tokenizer.Decode(tokenizer.Encode("wall bracket 7", addSpecialTokens: false)));
    }
}
