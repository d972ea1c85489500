using System.Net;
using System.Text.Json;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Training.Trainer;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Models;
using ChatPlatform.Web.Admin.Training;
using ChatPlatform.Web.Serving;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// Retrain end to end in the web app's own services: approved examples → snapshot → train/eval JSONL → a LoRA job on
/// the tiny pretrained stories260K (no chat template: ChatML fallback) → run record with metrics → model version.
/// </summary>
public sealed class RetrainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task ApproveExamplesAsync(AdminApp app, int count)
    {
        var lines = Enumerable.Range(1, count).Select(i => JsonSerializer.Serialize(new
        {
            messages = new[]
            {
                new { role = "user", content = $"How do I reset router {i}?" },
                new { role = "assistant", content = $"Hold the reset button of router {i} for ten seconds." },
            },
        }));
        var file = Path.Combine(app.DataDirectory, "approved.jsonl");
        await File.WriteAllLinesAsync(file, lines, Ct);
        await app.Services.GetRequiredService<DatasetService>().ImportAsync(file, DatasetFormat.OpenAI, approve: true, "test", cancellationToken: Ct);
    }

    private static readonly RetrainSettings Tiny = new() { Epochs = 1, MaxLength = 128, BatchSize = 2, LoraRank = 4, LoraAlpha = 8 };

    [Fact]
    public async Task RetrainSnapshotsTrainsAndRegistersAModelVersion()
    {
        var model = SharedModels.Folder(SharedModels.Stories260K);
        using var app = new AdminApp(new() { ["Platform:BaseModel"] = model });
        await ApproveExamplesAsync(app, 6);
        var retrain = app.Services.GetRequiredService<RetrainService>();
        var monitor = app.Services.GetRequiredService<TrainingMonitor>();
        Assert.Null(retrain.Unavailable);

        var started = await retrain.StartAsync(Tiny, "admin@example.com", Ct);
        Assert.Equal(1, started.SnapshotVersion);
        Assert.Equal(6, started.TrainExamples + started.EvalExamples);
        Assert.True(started.EvalExamples >= 1);
        var status = await app.Services.GetRequiredService<JobRunner>().WaitAsync(started.JobId, Ct);

        await using var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == started.RunId, Ct);
        Assert.True(status == RunStatus.Completed, $"job {status}: {run.Error}");
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(started.SnapshotId, run.SnapshotId);
        Assert.Equal("lora", run.Method);
        Assert.Equal(Path.Combine(app.DataDirectory, "runs", run.Id.ToString()), run.OutputDirectory);
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory!, "data", "train.jsonl")));
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory!, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory!, "adapter_config.json")));
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory!, "adapter_model.safetensors")));
        var before = RunMetrics.Number(run.MetricsJson, "eval_before", "eval_loss");
        var after = RunMetrics.Number(run.MetricsJson, "eval_after", "eval_loss");
        Assert.True(before > 0 && after > 0, run.MetricsJson);
        Assert.True(RunMetrics.Number(run.MetricsJson, "result", "steps") >= 1, run.MetricsJson);

        var version = await db.ModelVersions.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((model, run.OutputDirectory, run.SnapshotId, run.Id), (version.BaseModelPath, version.AdapterPath, version.SnapshotId, version.TrainingRunId));
        Assert.Equal(after, RunMetrics.Number(version.EvaluationJson, "eval_after", "eval_loss"));
        Assert.False(version.IsActive);

        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == started.JobId, Ct);
        Assert.Equal((JobKinds.Training, 1.0), (job.Kind, job.Progress));
        Assert.Contains($"\"modelVersionId\":{version.Id}", job.ResultJson);
        var (points, log) = monitor.Read();
        Assert.Contains(points, p => p.Loss is > 0);
        Assert.Contains(log, l => l.Contains("registered model version"));
        var actions = (await app.AuditAsync()).Select(a => a.Action).ToList();
        Assert.Contains("snapshot.create", actions);
        Assert.Contains("training.start", actions);
        Assert.Contains("model.register", actions);
    }

    [Fact]
    public async Task CancellingTheJobMidRunEndsTheRunCancelledWithoutAModelVersion()
    {
        var model = SharedModels.Folder(SharedModels.Stories260K);
        using var app = new AdminApp(new() { ["Platform:BaseModel"] = model });
        await ApproveExamplesAsync(app, 6);
        var retrain = app.Services.GetRequiredService<RetrainService>();
        var monitor = app.Services.GetRequiredService<TrainingMonitor>();
        var runner = app.Services.GetRequiredService<JobRunner>();
        RetrainStarted? started = null;
        var cancelled = 0;
        // Cancel from the first training step's report: the trainer sees it before its next step.
        monitor.Changed += () =>
        {
            if (monitor.Last?.Kind == TrainingEventKind.Step && started is { } s && Interlocked.Exchange(ref cancelled, 1) == 0)
                runner.CancelAsync(s.JobId, "admin@example.com").GetAwaiter().GetResult();
        };
        started = await retrain.StartAsync(new RetrainSettings { Epochs = 3, MaxLength = 128, BatchSize = 1, LoraRank = 4, LoraAlpha = 8 }, "admin@example.com", Ct);

        Assert.Equal(RunStatus.Cancelled, await runner.WaitAsync(started.JobId, Ct));
        await using var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == started.RunId, Ct);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.StartsWith("cancelled at step 1", run.Error);
        Assert.False(await db.ModelVersions.AnyAsync(Ct));
        Assert.False(File.Exists(Path.Combine(run.OutputDirectory!, "adapter_model.safetensors")));
    }

    [Fact]
    public async Task WithoutABaseModelRetrainIsDisabledWithAClearMessage()
    {
        using var app = new AdminApp();
        var retrain = app.Services.GetRequiredService<RetrainService>();
        Assert.Contains("No base model is configured", retrain.Unavailable);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => retrain.StartAsync(new RetrainSettings(), "admin", Ct));
        Assert.Contains("Platform:BaseModel", error.Message);

        var client = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, AdminApp.AdminPassword), "/admin");
        var page = await client.GetStringAsync("/admin/training", Ct);
        Assert.Contains("id=\"retrain-unavailable\"", page);
        Assert.Matches("<button[^>]*disabled[^>]*id=\"retrain\"|<button[^>]*id=\"retrain\"[^>]*disabled", page);
    }

    [Fact]
    public async Task ActivatingAVersionMakesItTheOnlyActiveOneAndIsAudited()
    {
        using var app = new AdminApp();
        long first, second;
        await using (var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>()))
        {
            var tiny = SharedModels.Folder(SharedModels.Stories260K);
            var a = new ModelVersion { Name = "v1", BaseModelPath = tiny, CreatedAt = DateTimeOffset.UtcNow };
            var b = new ModelVersion { Name = "v2", BaseModelPath = tiny, CreatedAt = DateTimeOffset.UtcNow };
            db.ModelVersions.AddRange(a, b);
            await db.SaveChangesAsync(Ct);
            (first, second) = (a.Id, b.Id);
        }
        var versions = app.Services.GetRequiredService<ModelVersions>();
        await versions.ActivateAsync(second, "admin@example.com", Ct);
        var served = app.Services.GetRequiredService<ServedModel>();
        Assert.Equal("v2", served.Current?.Id);  // swapped in without a restart
        var client = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, AdminApp.AdminPassword), "/admin");
        var page = await client.GetStringAsync("/admin/models", Ct);
        Assert.Contains("id=\"hot-swap\"", page);
        Assert.Contains("Serving <b id=\"serving-model\">v2</b>", page);
        Assert.Contains("Serving__Model=", page);  // how to point at a downloaded model
        Assert.Contains("Roll back to this", page);

        await versions.ActivateAsync(first, "admin@example.com", Ct); // roll back
        Assert.Equal("v1", served.Current?.Id);
        var list = await versions.ListAsync(Ct);
        Assert.Equal([first], list.Where(v => v.IsActive).Select(v => v.Id));
        Assert.NotNull(list.Single(v => v.Id == first).ActivatedAt);
        var audit = (await app.AuditAsync()).Where(a => a.Action == "model.activate").ToList();
        Assert.Equal([$"model-version:{second}", $"model-version:{first}"], audit.Select(a => a.Target));
        Assert.Contains("v2", audit[1].DetailsJson);
        await Assert.ThrowsAsync<ArgumentException>(() => versions.ActivateAsync(999, "admin@example.com", Ct));
    }

    [Fact]
    public async Task AVersionThatFailsToLoadIsNotActivatedAndTheServedOneKeepsServing()
    {
        using var app = new AdminApp();
        long good, broken;
        await using (var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>()))
        {
            var a = new ModelVersion { Name = "good", BaseModelPath = SharedModels.Folder(SharedModels.Stories260K), CreatedAt = DateTimeOffset.UtcNow };
            var b = new ModelVersion { Name = "broken", BaseModelPath = "/no/such/model", CreatedAt = DateTimeOffset.UtcNow };
            db.ModelVersions.AddRange(a, b);
            await db.SaveChangesAsync(Ct);
            (good, broken) = (a.Id, b.Id);
        }
        var versions = app.Services.GetRequiredService<ModelVersions>();
        await versions.ActivateAsync(good, "admin@example.com", Ct);
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => versions.ActivateAsync(broken, "admin@example.com", Ct));

        var served = app.Services.GetRequiredService<ServedModel>();
        Assert.Equal("good", served.Current?.Id);
        Assert.Equal(ModelState.Error, served.Status.State);
        Assert.Contains("/no/such/model", served.Status.Error);
        Assert.Equal([good], (await versions.ListAsync(Ct)).Where(v => v.IsActive).Select(v => v.Id));
        Assert.DoesNotContain("model.activate", (await app.AuditAsync()).Where(a => a.Target == $"model-version:{broken}").Select(a => a.Action));

        var client = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, AdminApp.AdminPassword), "/admin");
        var page = await client.GetStringAsync("/admin/models", Ct);
        Assert.Contains("id=\"model-error\"", page);
    }
}
