using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin.Jobs;

/// <summary>
/// Runs background jobs over the persisted <see cref="Job"/> rows: one queue and one worker per kind, so one training
/// runs at a time while an import may run beside it. Progress is written to the row (at most once a second, so a fast
/// training loop does not hammer SQLite) and pushed to subscribers of <see cref="Changed"/> on every report. The work
/// itself lives in memory only: at start-up, jobs a previous process left Pending or Running are marked Interrupted.
/// </summary>
public sealed class JobRunner(IDbContextFactory<PlatformDbContext> contexts, ILogger<JobRunner> log) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan RowWriteInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, Entry> active = new();
    private readonly Dictionary<string, (Channel<Entry> Queue, Task Worker)> queues = [];
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Raised on the reporting thread for every change of any job; handlers must be quick (one that throws is logged and skipped).</summary>
    public event Action<JobUpdate>? Changed;

    private sealed class Entry(Job job, JobWork work, bool persistProgress, CancellationToken stopping)
    {
        public Job Job { get; } = job;
        public bool PersistProgress { get; } = persistProgress;
        public JobWork Work { get; } = work;
        public CancellationTokenSource Cancel { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        public TaskCompletionSource<RunStatus> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public DateTime LastRowWrite { get; set; } = DateTime.MinValue;
        public Task RowWrite { get; set; } = Task.CompletedTask;
    }

    /// <summary>Marks what a previous process left unfinished (jobs, training runs) as Interrupted, before any new job can start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await MarkUnfinishedInterruptedAsync(cancellationToken);
        if (count > 0) JobLog.Interrupted(log, count);
    }

    internal async Task<int> MarkUnfinishedInterruptedAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var mine = active.Keys.ToList();
        var left = await db.Jobs.Where(j => (j.Status == RunStatus.Running || j.Status == RunStatus.Pending) && !mine.Contains(j.Id)).ToListAsync(ct);
        foreach (var job in left)
        {
            job.Message = job.Status == RunStatus.Running
                ? $"interrupted: the app stopped while this job ran ({job.Message ?? "no progress reported"})"
                : "interrupted: the app stopped before this job started";
            job.Status = RunStatus.Interrupted;
            job.FinishedAt = now;
        }
        // A training job's run record shares its fate.
        var runs = await db.TrainingRuns.Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Pending).ToListAsync(ct);
        foreach (var run in runs)
        {
            (run.Status, run.FinishedAt) = (RunStatus.Interrupted, now);
            run.Error = "interrupted: the app stopped during the run";
        }
        await db.SaveChangesAsync(ct);
        return left.Count;
    }

    /// <summary>
    /// Persists a Pending job and queues it behind the other jobs of its kind; returns its id. Without
    /// <paramref name="persistProgress"/> progress is pushed live but only the final state is written to the row: for work
    /// that holds SQLite's write lock while it runs (an import is one transaction), where a progress write would wait
    /// for the lock until the busy timeout.
    /// </summary>
    public async Task<long> EnqueueAsync(string kind, object? payload, string actor, JobWork work, CancellationToken ct = default,
        bool persistProgress = true)
    {
        var job = new Job
        {
            Kind = kind, Status = RunStatus.Pending, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = actor, Message = "waiting",
            PayloadJson = payload is null ? null : JsonSerializer.Serialize(payload, payload.GetType()),
        };
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync(ct);
        }
        var entry = new Entry(job, work, persistProgress, stopping.Token);
        active[job.Id] = entry;
        Publish(entry);
        Channel<Entry> queue;
        lock (queues)
        {
            if (!queues.TryGetValue(kind, out var q))
            {
                var channel = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
                q = (channel, Task.Run(() => WorkAsync(channel.Reader)));
                queues[kind] = q;
            }
            queue = q.Queue;
        }
        if (!queue.Writer.TryWrite(entry)) throw new InvalidOperationException("the job runner has stopped");
        return job.Id;
    }

    /// <summary>Asks a queued or running job to stop; false when it is not active in this process.</summary>
    public async Task<bool> CancelAsync(long id, string actor, CancellationToken ct = default)
    {
        if (!active.TryGetValue(id, out var entry)) return false;
        await entry.Cancel.CancelAsync();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await Audit.WriteAsync(db, actor, "job.cancel", $"job:{id}", new { entry.Job.Kind }, ct);
        return true;
    }

    /// <summary>Whether the job is queued or running in this process (and can be cancelled).</summary>
    public bool IsActive(long id) => active.ContainsKey(id);

    /// <summary>Completes with the job's final status; an unknown or already finished job completes at once with its stored status.</summary>
    public async Task<RunStatus> WaitAsync(long id, CancellationToken ct = default)
    {
        if (active.TryGetValue(id, out var entry)) return await entry.Done.Task.WaitAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, ct)).Status;
    }

    public async Task<IReadOnlyList<Job>> ListAsync(int take = 200, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Jobs.AsNoTracking().OrderByDescending(j => j.Id).Take(take).ToListAsync(ct);
    }

    private async Task WorkAsync(ChannelReader<Entry> reader)
    {
        await foreach (var entry in reader.ReadAllAsync())
        {
            try
            {
                await RunAsync(entry);
            }
            catch (Exception e)
            {
                // Only the bookkeeping itself (the database) can get here; the worker keeps serving its queue.
                JobLog.BookkeepingFailed(log, entry.Job.Id, e);
                entry.Done.TrySetResult(RunStatus.Failed);
            }
            finally
            {
                active.TryRemove(entry.Job.Id, out _);
                entry.Cancel.Dispose();
            }
        }
    }

    private async Task RunAsync(Entry entry)
    {
        var job = entry.Job;
        if (entry.Cancel.IsCancellationRequested)
        {
            await FinishAsync(entry, stopping.IsCancellationRequested ? RunStatus.Interrupted : RunStatus.Cancelled, "cancelled before it started", null);
            return;
        }
        job.Status = RunStatus.Running;
        job.StartedAt = DateTimeOffset.UtcNow;
        job.Message = "started";
        await WriteRowAsync(entry);
        Publish(entry);

        var context = new JobContext(job.Id, entry.Cancel.Token, (progress, message) => Report(entry, progress, message),
            () => stopping.IsCancellationRequested);
        try
        {
            var result = await Task.Run(() => entry.Work(context), CancellationToken.None);
            await FinishAsync(entry, RunStatus.Completed, job.Message, result, progress: 1);
        }
        catch (OperationCanceledException) when (entry.Cancel.IsCancellationRequested)
        {
            await FinishAsync(entry, stopping.IsCancellationRequested ? RunStatus.Interrupted : RunStatus.Cancelled,
                stopping.IsCancellationRequested ? "interrupted: the app stopped" : "cancelled", null);
        }
        catch (Exception e)
        {
            JobLog.Failed(log, job.Id, job.Kind, e);
            await FinishAsync(entry, RunStatus.Failed, $"failed: {e.Message}", null);
        }
    }

    private void Report(Entry entry, double progress, string? message)
    {
        var job = entry.Job;
        lock (job)
        {
            job.Progress = progress;
            if (message is not null) job.Message = message;
        }
        Publish(entry);
        if (!entry.PersistProgress || DateTime.UtcNow - entry.LastRowWrite < RowWriteInterval || !entry.RowWrite.IsCompleted) return;
        entry.LastRowWrite = DateTime.UtcNow;
        // Off the reporting thread: another job (an import's transaction) may hold SQLite's write lock, and the training
        // loop must not wait for it. One write in flight at most; a report that finds one skips its write.
        entry.RowWrite = Task.Run(async () =>
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync();
                double p;
                string? m;
                lock (job) (p, m) = (job.Progress, job.Message);
                await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Progress, p).SetProperty(j => j.Message, m));
            }
            catch (Exception e) when (e is DbUpdateException or Microsoft.Data.Sqlite.SqliteException)
            {
                // A busy database must not fail the job; the final state is written when it ends.
                JobLog.ProgressNotSaved(log, job.Id, e.Message);
            }
        });
    }

    private async Task FinishAsync(Entry entry, RunStatus status, string? message, string? result, double? progress = null)
    {
        var job = entry.Job;
        lock (job)
        {
            job.Status = status;
            job.Message = message;
            job.ResultJson = result;
            job.FinishedAt = DateTimeOffset.UtcNow;
            if (progress is { } p) job.Progress = p;
        }
        await entry.RowWrite; // a late progress write must not overwrite the final state
        await WriteRowAsync(entry);
        Publish(entry);
        entry.Done.TrySetResult(status);
    }

    private async Task WriteRowAsync(Entry entry)
    {
        await using var db = await contexts.CreateDbContextAsync();
        Job copy;
        lock (entry.Job) copy = Copy(entry.Job);
        db.Jobs.Update(copy);
        await db.SaveChangesAsync();
    }

    private static Job Copy(Job j) => new()
    {
        Id = j.Id, Kind = j.Kind, Status = j.Status, PayloadJson = j.PayloadJson, ResultJson = j.ResultJson, Progress = j.Progress,
        Message = j.Message, CreatedAt = j.CreatedAt, StartedAt = j.StartedAt, FinishedAt = j.FinishedAt, CreatedBy = j.CreatedBy,
    };

    private void Publish(Entry entry)
    {
        JobUpdate update;
        lock (entry.Job) update = new(entry.Job.Id, entry.Job.Kind, entry.Job.Status, entry.Job.Progress, entry.Job.Message, entry.Job.ResultJson);
        // Each subscriber on its own: a page whose circuit broke must not fail the job that reports.
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<JobUpdate>>() ?? [])
        {
            try
            {
                handler(update);
            }
            catch (Exception e)
            {
                JobLog.SubscriberFailed(log, update.Id, e);
            }
        }
    }

    /// <summary>Cancels what runs (its row ends Interrupted) and waits for the workers to record that.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Never disposed: it holds no timer, and a second StopAsync (host, then container) must still work.
        await stopping.CancelAsync();
        List<Task> workers;
        lock (queues)
        {
            foreach (var (queue, _) in queues.Values) queue.Writer.TryComplete();
            workers = [.. queues.Values.Select(q => q.Worker)];
        }
        await Task.WhenAll(workers).WaitAsync(cancellationToken);
    }

    /// <summary>The host may dispose the container before or after it stops the hosted services: either order stops once.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
