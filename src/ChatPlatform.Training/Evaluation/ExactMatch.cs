using System.Text;

namespace ChatPlatform.Training.Evaluation;

/// <summary>
/// Exact match after normalising whitespace: leading and trailing whitespace removed and every run of
/// whitespace (spaces, tabs, newlines, no-break spaces) made one space. Case counts unless <c>ignoreCase</c> (then
/// compared with ordinal, culture-independent case folding). Punctuation counts (unlike SQuAD's normalisation,
/// which also strips punctuation and articles).
/// </summary>
public static class ExactMatch
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace) builder.Append(' ');
            pendingSpace = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    public static bool IsMatch(string prediction, string reference, bool ignoreCase = false) =>
        string.Equals(Normalize(prediction), Normalize(reference), ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The fraction of pairs that match.</summary>
    public static double Rate(IReadOnlyList<string> predictions, IReadOnlyList<string> references, bool ignoreCase = false)
    {
        MetricInputs.CheckPairs(predictions, references);
        var matches = 0;
        for (var i = 0; i < predictions.Count; i++)
            if (IsMatch(predictions[i], references[i], ignoreCase)) matches++;
        return (double)matches / predictions.Count;
    }
}
