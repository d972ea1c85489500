using System.Text;

namespace ChatPlatform.Training.Evaluation;

/// <summary>How ROUGE splits text into words.</summary>
public enum RougeTokenization
{
    /// <summary>
    /// rouge-score's default tokenizer (Google's Python ROUGE, used by Hugging Face evaluate): lower-case, every run
    /// of characters outside [a-z0-9] becomes a space, split on spaces, no stemming. Accented and non-Latin letters
    /// are therefore separators ("Café" gives "caf"): comparable with published scores, English only.
    /// </summary>
    RougeScore,

    /// <summary>As <see cref="RougeScore"/> but keeping every Unicode letter and digit, for other languages.</summary>
    Unicode,
}

/// <summary>
/// ROUGE-L (Lin, 2004): the longest common subsequence of words, as rouge-score's sentence-level <c>rougeL</c>.
/// Precision is LCS / prediction words, recall LCS / reference words, F the harmonic mean; all 0 when either
/// side has no words.
/// </summary>
public static class RougeL
{
    /// <summary>The words ROUGE compares.</summary>
    public static string[] Tokenize(string text, RougeTokenization tokenization = RougeTokenization.RougeScore)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.ToLowerInvariant().EnumerateRunes())
        {
            var keep = tokenization == RougeTokenization.RougeScore
                ? rune.Value is >= 'a' and <= 'z' or >= '0' and <= '9'
                : Rune.IsLetterOrDigit(rune);
            if (keep)
            {
                word.Append(rune.ToString());
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0) words.Add(word.ToString());
        return [.. words];
    }

    public static PrecisionRecallF1 Score(string prediction, string reference, RougeTokenization tokenization = RougeTokenization.RougeScore) =>
        Score(Tokenize(prediction, tokenization), Tokenize(reference, tokenization));

    public static PrecisionRecallF1 Score(IReadOnlyList<string> predictionWords, IReadOnlyList<string> referenceWords)
    {
        ArgumentNullException.ThrowIfNull(predictionWords);
        ArgumentNullException.ThrowIfNull(referenceWords);
        if (predictionWords.Count == 0 || referenceWords.Count == 0) return default;
        var lcs = LcsLength(predictionWords, referenceWords);
        return PrecisionRecallF1.From((double)lcs / predictionWords.Count, (double)lcs / referenceWords.Count);
    }

    /// <summary>The mean of the per-pair precision, recall and F (rouge-score's aggregator reports a bootstrap estimate of this mean).</summary>
    public static PrecisionRecallF1 Mean(IReadOnlyList<string> predictions, IReadOnlyList<string> references, RougeTokenization tokenization = RougeTokenization.RougeScore)
    {
        MetricInputs.CheckPairs(predictions, references);
        double p = 0, r = 0, f = 0;
        for (var i = 0; i < predictions.Count; i++)
        {
            var s = Score(predictions[i], references[i], tokenization);
            (p, r, f) = (p + s.Precision, r + s.Recall, f + s.F1);
        }
        var n = predictions.Count;
        return new PrecisionRecallF1(p / n, r / n, f / n);
    }

    /// <summary>Length of the longest common subsequence, by dynamic programming over two rows.</summary>
    public static int LcsLength(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }
}
