namespace ChatPlatform.Web.Admin.Jobs;

/// <summary>What a running job's work sees: its id, its cancellation, and where it reports progress.</summary>
public sealed class JobContext(long id, CancellationToken cancellationToken, Action<double, string?> report, Func<bool>? appStopping = null)
{
    /// <summary>Whether a cancellation comes from the app stopping (the job ends Interrupted and may be resumed) rather than an admin.</summary>
    public bool AppStopping => appStopping?.Invoke() ?? false;

    public long Id { get; } = id;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Progress in 0..1 (clamped) and a short message; kept on the job row and pushed to the UI.</summary>
    public void Report(double progress, string? message) => report(Math.Clamp(double.IsFinite(progress) ? progress : 0, 0, 1), message);
}

/// <summary>
/// A job's work: returns the result JSON kept on the row. Throwing <see cref="OperationCanceledException"/> after the
/// job's cancellation marks it Cancelled; any other exception marks it Failed with the exception's message.
/// </summary>
public delegate Task<string?> JobWork(JobContext context);
