using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Web.Admin.Training;

/// <summary>One point of the loss chart: training loss at a step, or eval loss at an evaluation.</summary>
public sealed record LossPoint(int Step, double? Loss, double? EvalLoss);

/// <summary>
/// The live view of the training run in progress (at most one: training jobs run one at a time), kept in memory for
/// the Training page: the latest progress event, the loss curve and the last log lines. <see cref="Changed"/> fires
/// after every update; subscribers copy what they show under <see cref="Read"/>.
/// </summary>
public sealed class TrainingMonitor(ILogger<TrainingMonitor> log)
{
    public const int LogLines = 30;

    private readonly Lock gate = new();
    private readonly List<LossPoint> points = [];
    private readonly LinkedList<string> lines = new();

    public long? RunId { get; private set; }
    public long? JobId { get; private set; }
    public TrainingProgress? Last { get; private set; }
    public bool Running { get; private set; }

    public event Action? Changed;

    public void Begin(long runId, long jobId)
    {
        lock (gate)
        {
            (RunId, JobId, Last, Running) = (runId, jobId, null, true);
            points.Clear();
            lines.Clear();
        }
        AddLog($"run {runId}: started");
    }

    public void Report(TrainingProgress p)
    {
        lock (gate)
        {
            // Evaluation and end events carry no training loss or speed: keep the last step's for the live line.
            Last = p with
            {
                Loss = p.Loss ?? Last?.Loss,
                EvalLoss = p.EvalLoss ?? Last?.EvalLoss,
                TokensPerSecond = p.TokensPerSecond > 0 ? p.TokensPerSecond : Last?.TokensPerSecond ?? 0,
            };
            if (p.Kind == TrainingEventKind.Step && p.Loss is { } loss) points.Add(new LossPoint(p.Step, loss, null));
            if (p.Kind == TrainingEventKind.Evaluation && p.EvalLoss is { } eval) points.Add(new LossPoint(p.Step, null, eval));
        }
        AddLog(p.Kind switch
        {
            TrainingEventKind.Step => $"step {p.Step}/{p.TotalSteps} epoch {p.Epoch + 1} loss {p.Loss:0.0000} lr {p.LearningRate:0.00e0} {p.TokensPerSecond:0} tok/s",
            TrainingEventKind.Evaluation => $"eval at step {p.Step}: loss {p.EvalLoss:0.0000}",
            TrainingEventKind.Checkpoint => $"checkpoint at step {p.Step}: {p.Message}",
            _ => $"finished at step {p.Step}: {p.Message}",
        });
    }

    public void End(string message)
    {
        lock (gate) Running = false;
        AddLog(message);
    }

    public void AddLog(string line)
    {
        lock (gate)
        {
            lines.AddLast($"{DateTime.UtcNow:HH:mm:ss} {line}");
            while (lines.Count > LogLines) lines.RemoveFirst();
        }
        // Each subscriber on its own: a page whose circuit broke must not fail the training that reports.
        foreach (var handler in Changed?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception e)
            {
                TrainingLog.SubscriberFailed(log, e);
            }
        }
    }

    /// <summary>Copies of the curve and the log lines.</summary>
    public (IReadOnlyList<LossPoint> Points, IReadOnlyList<string> Log) Read()
    {
        lock (gate) return ([.. points], [.. lines]);
    }
}
