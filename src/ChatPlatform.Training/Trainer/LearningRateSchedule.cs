namespace ChatPlatform.Training.Trainer;

public enum ScheduleKind
{
    Cosine,
    Linear,
    Constant,
}

/// <summary>
/// Linear warmup from 0 to the peak rate, then cosine or linear decay to 0 at the last step (transformers'
/// get_cosine_schedule_with_warmup / get_linear_schedule_with_warmup, step for step: the first warmup step has rate 0).
/// </summary>
public sealed record LearningRateSchedule(double PeakRate, int WarmupSteps, int TotalSteps, ScheduleKind Kind = ScheduleKind.Cosine)
{
    /// <summary>The rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public double RateAt(int step)
    {
        if (step < WarmupSteps) return PeakRate * step / WarmupSteps;
        if (Kind == ScheduleKind.Constant) return PeakRate;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((step - WarmupSteps) / (double)decaySteps, 0, 1);
        return Kind == ScheduleKind.Cosine
            ? PeakRate * 0.5 * (1 + Math.Cos(Math.PI * progress))
            : PeakRate * (1 - progress);
    }
}
