namespace ChatPlatform.Training.Trainer;

/// <summary>Where a run is: saved in every checkpoint so a resumed run continues the same curve.</summary>
public sealed record TrainerState
{
    public int GlobalStep { get; init; }
    public int Epoch { get; init; }
    /// <summary>Micro-batches of <see cref="Epoch"/> already consumed.</summary>
    public int BatchInEpoch { get; init; }
    public double? BestEvalLoss { get; init; }
    public int EvalsWithoutImprovement { get; init; }
    /// <summary>Optimizer steps taken per trainable parameter (AdamW bias correction), by parameter name.</summary>
    public Dictionary<string, long> OptimizerSteps { get; init; } = new();
}
