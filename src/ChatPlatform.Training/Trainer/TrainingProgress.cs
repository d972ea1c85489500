namespace ChatPlatform.Training.Trainer;

public enum TrainingEventKind
{
    Step,
    Evaluation,
    Checkpoint,
    Finished,
}

/// <summary>One progress report: what the web app's live view and the CLI progress bar show.</summary>
public sealed record TrainingProgress(
    TrainingEventKind Kind,
    int Step,
    int TotalSteps,
    int Epoch,
    double? Loss,
    double? EvalLoss,
    double LearningRate,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Eta,
    string? Message = null);

public sealed record TrainingResult(
    int Steps,
    double? FinalLoss,
    double? FinalEvalLoss,
    double? BestEvalLoss,
    bool StoppedEarly,
    bool Cancelled,
    string OutputDirectory);
