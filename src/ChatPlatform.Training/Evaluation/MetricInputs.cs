namespace ChatPlatform.Training.Evaluation;

/// <summary>Precision, recall and their harmonic mean (F1).</summary>
public readonly record struct PrecisionRecallF1(double Precision, double Recall, double F1)
{
    /// <summary>F1 of <paramref name="precision"/> and <paramref name="recall"/>, 0 when both are 0.</summary>
    public static PrecisionRecallF1 From(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0);
}

internal static class MetricInputs
{
    /// <summary>Predictions and references pair up one to one, and there is something to score.</summary>
    public static void CheckPairs<TPrediction, TReference>(IReadOnlyList<TPrediction> predictions, IReadOnlyList<TReference> references)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(references);
        if (predictions.Count != references.Count)
            throw new ArgumentException($"{predictions.Count} predictions but {references.Count} references: they pair up one to one", nameof(references));
        if (predictions.Count == 0)
            throw new ArgumentException("no predictions to score", nameof(predictions));
    }
}
