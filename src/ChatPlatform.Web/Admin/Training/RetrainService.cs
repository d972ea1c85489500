using System.Text.Json;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Training;
using ChatPlatform.Training.Trainer;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin.Training;

/// <summary>Whether an interrupted run can continue: the step of its latest checkpoint, or why not.</summary>
public sealed record ResumePoint(long RunId, int? CheckpointStep, string Message)
{
    public bool CanResume => CheckpointStep is not null;
}

/// <summary>What Retrain started: the run record, its job and the snapshot it trains on.</summary>
public sealed record RetrainStarted(long RunId, long JobId, long SnapshotId, int SnapshotVersion, int TrainExamples, int EvalExamples);

/// <summary>
/// The one-click retrain: snapshot the approved examples, write the snapshot's train/eval JSONL into DATA_DIR/runs/ID/data,
/// and queue a training job on the configured base model writing to DATA_DIR/runs/ID. A finished run records its metrics
/// (from the run manifest: result, eval before and after) and registers a <see cref="ModelVersion"/> (base + adapter +
/// snapshot + metrics), inactive until an admin activates it. A run the app stopped during (a restart) ends Interrupted and
/// can be resumed from its latest checkpoint (the step count continues from there) or, without one, restarted.
/// </summary>
public sealed class RetrainService(DatasetService datasets, JobRunner jobs, TrainingMonitor monitor,
    IDbContextFactory<PlatformDbContext> contexts, IOptionsMonitor<PlatformOptions> platform, IOptionsMonitor<ThreadBudgets> threads, ILogger<RetrainService> log)
{
    /// <summary>Few examples of the eval set are generated from before and after training (the rest count in eval loss only).</summary>
    private const int GenerationEvalExamples = 4;

    /// <summary>Read at each use: an edited Platform:BaseModel applies to the next Retrain.</summary>
    public string? BaseModel => platform.CurrentValue.BaseModel is { Length: > 0 } m ? Path.GetFullPath(m) : null;

    /// <summary>Why Retrain cannot run, or null when it can.</summary>
    public string? Unavailable => BaseModel switch
    {
        null => "No base model is configured: set Platform:BaseModel (or Serving:Model) to a Hugging Face model folder on the Settings page, or create the offline starter model.",
        var m when !File.Exists(Path.Combine(m, "config.json")) => $"The base model folder {m} has no config.json.",
        _ => null,
    };

    public async Task<RetrainStarted> StartAsync(RetrainSettings settings, string actor, CancellationToken ct = default)
    {
        if (Unavailable is { } why) throw new InvalidOperationException(why);
        var baseModel = BaseModel!;
        var options = settings.ToTrainingOptions(baseModel);
        options.Validate();

        var snapshot = await datasets.CreateSnapshotAsync($"retrain {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}", actor, ct);
        var record = new TrainingRunRecord
        {
            SnapshotId = snapshot.Id, Method = options.Method.ToString().ToLowerInvariant(), SettingsJson = JsonSerializer.Serialize(options),
            Status = RunStatus.Pending, CreatedAt = DateTimeOffset.UtcNow, StartedBy = actor,
        };
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            db.TrainingRuns.Add(record);
            await db.SaveChangesAsync(ct);
            record.OutputDirectory = Path.Combine(platform.CurrentValue.RunsDirectory, record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await db.SaveChangesAsync(ct);
        }
        var runId = record.Id;
        try
        {
            var files = await datasets.WriteTrainingFilesAsync(snapshot.Id, Path.Combine(record.OutputDirectory, "data"), cancellationToken: ct);
            await using (var db = await contexts.CreateDbContextAsync(ct))
                await Audit.WriteAsync(db, actor, "training.start", $"training-run:{runId}",
                    new { snapshot = snapshot.Version, baseModel, settings, files.TrainCount, files.EvalCount }, ct);
            var jobId = await jobs.EnqueueAsync(JobKinds.Training, new { runId, snapshotVersion = snapshot.Version, baseModel }, actor,
                context => RunAsync(context, runId, baseModel, files, options, resumeFrom: null), ct);
            return new RetrainStarted(runId, jobId, snapshot.Id, snapshot.Version, files.TrainCount, files.EvalCount);
        }
        catch (Exception e)
        {
            // Never leave a run Pending that no job will take up.
            await UpdateRunAsync(runId, r => (r.Status, r.FinishedAt, r.Error) = (RunStatus.Failed, DateTimeOffset.UtcNow, $"not started: {e.Message}"));
            throw;
        }
    }

    /// <summary>The latest checkpoint of an Interrupted (or Failed) run, or why it cannot be resumed.</summary>
    public async Task<ResumePoint> ResumePointAsync(long runId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return new ResumePoint(runId, null, $"there is no training run {runId}");
        if (run.Status is not (RunStatus.Interrupted or RunStatus.Failed))
            return new ResumePoint(runId, null, $"run {runId} is {run.Status.ToString().ToLowerInvariant()}, not interrupted");
        var checkpoint = run.OutputDirectory is null ? null : new CheckpointStore(run.OutputDirectory, 1).Latest();
        return checkpoint is not null && int.TryParse(Path.GetFileName(checkpoint).AsSpan("step-".Length), out var step)
            ? new ResumePoint(runId, step, $"resume from the checkpoint at step {step}")
            : new ResumePoint(runId, null, $"run {runId} stopped before its first checkpoint: restart it from step 0");
    }

    /// <summary>Continues an interrupted run from its latest checkpoint in a new job; the run keeps its id, data and folder.</summary>
    public Task<long> ResumeAsync(long runId, string actor, CancellationToken ct = default) => ContinueAsync(runId, actor, resume: true, ct);

    /// <summary>Runs an interrupted run again from step 0 on the same snapshot files (when it has no checkpoint to resume from).</summary>
    public Task<long> RestartAsync(long runId, string actor, CancellationToken ct = default) => ContinueAsync(runId, actor, resume: false, ct);

    private async Task<long> ContinueAsync(long runId, string actor, bool resume, CancellationToken ct)
    {
        var point = await ResumePointAsync(runId, ct);
        if (resume && !point.CanResume) throw new InvalidOperationException(point.Message);
        TrainingRunRecord run;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        if (run.Status is not (RunStatus.Interrupted or RunStatus.Failed)) throw new InvalidOperationException(point.Message);
        var output = run.OutputDirectory ?? throw new InvalidOperationException($"run {runId} has no output folder");
        var options = JsonSerializer.Deserialize<TrainingOptions>(run.SettingsJson ?? "")
            ?? throw new InvalidDataException($"run {runId}: its settings are missing");
        var baseModel = options.Lora.BaseModelNameOrPath is { Length: > 0 } b ? b
            : throw new InvalidDataException($"run {runId}: its settings do not name the base model");
        var data = Path.Combine(output, "data");
        var files = new TrainingFiles(Path.Combine(data, "train.jsonl"), Path.Combine(data, "eval.jsonl"),
            CountLines(Path.Combine(data, "train.jsonl")), CountLines(Path.Combine(data, "eval.jsonl")));
        if (files.TrainCount == 0) throw new InvalidDataException($"run {runId}: {files.TrainPath} is missing or empty");
        if (!resume && Directory.Exists(Path.Combine(output, "checkpoints"))) Directory.Delete(Path.Combine(output, "checkpoints"), recursive: true);
        await UpdateRunAsync(runId, r => (r.Status, r.Error, r.FinishedAt) = (RunStatus.Pending, null, null));
        await using (var db = await contexts.CreateDbContextAsync(ct))
            await Audit.WriteAsync(db, actor, resume ? "training.resume" : "training.restart", $"training-run:{runId}",
                new { fromStep = resume ? point.CheckpointStep : 0 }, ct);
        return await jobs.EnqueueAsync(JobKinds.Training, new { runId, resumedFromStep = resume ? point.CheckpointStep : 0, baseModel }, actor,
            context => RunAsync(context, runId, baseModel, files, options, resume ? output : null), ct);
    }

    private static int CountLines(string path) => File.Exists(path) ? File.ReadLines(path).Count(l => !string.IsNullOrWhiteSpace(l)) : 0;

    private async Task<string?> RunAsync(JobContext context, long runId, string baseModel, TrainingFiles files, TrainingOptions options,
        string? resumeFrom)
    {
        var output = Path.Combine(platform.CurrentValue.RunsDirectory, runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await UpdateRunAsync(runId, r => (r.Status, r.StartedAt) = (RunStatus.Running, DateTimeOffset.UtcNow));
        monitor.Begin(runId, context.Id);
        var progress = new InlineProgress(p =>
        {
            monitor.Report(p);
            context.Report(p.TotalSteps == 0 ? 0 : (double)p.Step / p.TotalSteps,
                p.Loss is { } loss ? $"step {p.Step}/{p.TotalSteps}, loss {loss:0.0000}" : $"step {p.Step}/{p.TotalSteps}");
        });
        try
        {
            var run = new TrainingRun(baseModel, files.TrainPath, files.EvalCount > 0 ? files.EvalPath : null, output, options,
                generationEvalExamples: GenerationEvalExamples);
            // Training holds a thread for minutes: give it its own rather than one of the thread pool's.
            var trainingThreads = threads.CurrentValue.Training;
            var result = await Task.Factory.StartNew(() =>
            {
                ThreadBudgets.ApplyToCurrentThread(trainingThreads);
                return run.Execute(progress, resumeFrom, context.CancellationToken);
            },
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (result.Cancelled && context.AppStopping)
            {
                // A restart, not an admin: the run can resume from its latest checkpoint at the next start.
                await UpdateRunAsync(runId, r => (r.Status, r.FinishedAt, r.Error) =
                    (RunStatus.Interrupted, DateTimeOffset.UtcNow, $"interrupted at step {result.Steps}: the app stopped"));
                monitor.End($"run {runId}: interrupted at step {result.Steps}");
                context.CancellationToken.ThrowIfCancellationRequested();
            }
            if (result.Cancelled)
            {
                await UpdateRunAsync(runId, r => (r.Status, r.FinishedAt, r.Error) = (RunStatus.Cancelled, DateTimeOffset.UtcNow, $"cancelled at step {result.Steps}"));
                monitor.End($"run {runId}: cancelled at step {result.Steps}");
                context.CancellationToken.ThrowIfCancellationRequested();
            }
            var metrics = RunMetrics.FromManifest(Path.Combine(output, "manifest.json"));
            await UpdateRunAsync(runId, r => (r.Status, r.FinishedAt, r.MetricsJson) = (RunStatus.Completed, DateTimeOffset.UtcNow, metrics));
            var version = await RegisterModelAsync(runId, baseModel, output, options, metrics);
            monitor.End($"run {runId}: done in {result.Steps} steps; registered model version {version.Name}");
            context.Report(1, $"done: {result.Steps} steps, loss {result.FinalLoss:0.0000}; model version {version.Name}");
            return JsonSerializer.Serialize(new { runId, modelVersionId = version.Id, result.Steps, result.FinalLoss, result.FinalEvalLoss });
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // Cancelled outside the training loop (evaluation before or after): the run ends Cancelled all the same.
            await UpdateRunAsync(runId, r =>
            {
                if (r.Status != RunStatus.Running) return;
                (r.Status, r.FinishedAt, r.Error) = context.AppStopping
                    ? (RunStatus.Interrupted, DateTimeOffset.UtcNow, "interrupted: the app stopped")
                    : (RunStatus.Cancelled, DateTimeOffset.UtcNow, "cancelled");
            });
            if (monitor.Running) monitor.End($"run {runId}: cancelled");
            throw;
        }
        catch (Exception e)
        {
            TrainingLog.RunFailed(log, runId, e);
            await UpdateRunAsync(runId, r => (r.Status, r.FinishedAt, r.Error) = (RunStatus.Failed, DateTimeOffset.UtcNow, e.Message));
            monitor.End($"run {runId}: failed: {e.Message}");
            throw;
        }
    }

    /// <summary>LoRA, prompt and prefix runs leave an adapter over the base; full and top-layer runs export a whole model folder.</summary>
    private async Task<ModelVersion> RegisterModelAsync(long runId, string baseModel, string output, TrainingOptions options, string metrics)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == runId);
        var standalone = options.Method is TrainingMethod.Full or TrainingMethod.Freeze;
        var version = new ModelVersion
        {
            Name = $"{Path.GetFileName(baseModel)}-run{runId}",
            BaseModelPath = standalone ? Path.Combine(output, "model") : baseModel,
            AdapterPath = standalone ? null : output,
            SnapshotId = run.SnapshotId,
            TrainingRunId = runId,
            EvaluationJson = metrics,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        await Audit.WriteAsync(db, run.StartedBy ?? "system", "model.register", $"model-version:{version.Id}",
            new { version.Name, version.BaseModelPath, version.AdapterPath, version.SnapshotId, runId });
        return version;
    }

    private async Task UpdateRunAsync(long runId, Action<TrainingRunRecord> change)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var run = await db.TrainingRuns.SingleAsync(r => r.Id == runId);
        change(run);
        await db.SaveChangesAsync();
    }

    public async Task<IReadOnlyList<TrainingRunRecord>> ListRunsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(100).ToListAsync(ct);
    }

    /// <summary>Reports on the reporting thread (Progress&lt;T&gt; would post to the pool and could reorder events).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
