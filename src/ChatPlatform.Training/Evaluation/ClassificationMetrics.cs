namespace ChatPlatform.Training.Evaluation;

/// <summary>One class's scores; <paramref name="Support"/> is how many references have the class.</summary>
public sealed record ClassScores(double Precision, double Recall, double F1, int Support);

/// <summary>Accuracy and macro-averaged scores over every class seen in the references or the predictions.</summary>
public sealed record ClassificationReport(
    int Count, double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1,
    IReadOnlyDictionary<string, ClassScores> PerClass);

/// <summary>
/// Metrics for label-style datasets (the answer is a category: intent, priority, sentiment), as scikit-learn's
/// accuracy_score and precision_recall_fscore_support(average="macro", zero_division=0).
/// </summary>
/// <remarks>
/// Labels are compared after <see cref="ExactMatch.Normalize"/> (and lower-cased with <c>ignoreCase</c>), so
/// "Billing\n" predicts "billing" when case is ignored. The classes are the union of reference and predicted
/// labels, as scikit-learn's default: a label the model invents is a class with precision 0 and recall 0, and pulls
/// the macro averages down. A precision or recall whose denominator is 0 counts as 0. Macro F1 is the mean of the
/// per-class F1 scores, not the F1 of the macro precision and recall.
/// </remarks>
public static class ClassificationMetrics
{
    public static ClassificationReport Compute(IReadOnlyList<string> predictions, IReadOnlyList<string> references, bool ignoreCase = false)
    {
        MetricInputs.CheckPairs(predictions, references);
        string Label(string s) => ignoreCase ? ExactMatch.Normalize(s).ToLowerInvariant() : ExactMatch.Normalize(s);

        var truePositives = new Dictionary<string, int>(StringComparer.Ordinal);
        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        var actual = new Dictionary<string, int>(StringComparer.Ordinal);
        var correct = 0;
        for (var i = 0; i < predictions.Count; i++)
        {
            var (p, r) = (Label(predictions[i]), Label(references[i]));
            predicted[p] = predicted.GetValueOrDefault(p) + 1;
            actual[r] = actual.GetValueOrDefault(r) + 1;
            if (p == r)
            {
                correct++;
                truePositives[p] = truePositives.GetValueOrDefault(p) + 1;
            }
        }

        var perClass = new SortedDictionary<string, ClassScores>(StringComparer.Ordinal);
        foreach (var label in predicted.Keys.Union(actual.Keys))
        {
            var tp = truePositives.GetValueOrDefault(label);
            var (nPredicted, nActual) = (predicted.GetValueOrDefault(label), actual.GetValueOrDefault(label));
            var prf = PrecisionRecallF1.From(nPredicted == 0 ? 0 : (double)tp / nPredicted, nActual == 0 ? 0 : (double)tp / nActual);
            perClass[label] = new ClassScores(prf.Precision, prf.Recall, prf.F1, nActual);
        }
        var n = perClass.Count;
        return new ClassificationReport(
            predictions.Count,
            (double)correct / predictions.Count,
            perClass.Values.Sum(c => c.Precision) / n,
            perClass.Values.Sum(c => c.Recall) / n,
            perClass.Values.Sum(c => c.F1) / n,
            perClass);
    }
}
