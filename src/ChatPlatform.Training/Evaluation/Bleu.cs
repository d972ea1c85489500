using System.Text.RegularExpressions;

namespace ChatPlatform.Training.Evaluation;

/// <summary>How BLEU splits text into words.</summary>
public enum BleuTokenization
{
    /// <summary>
    /// sacrebleu's default "13a" (mteval-v13a.pl, used by WMT): symbols and punctuation become separate words,
    /// except a period or comma between digits and a dash after a digit's left side stays attached. Case kept.
    /// </summary>
    Mteval13a,

    /// <summary>Split on whitespace only (NLTK's BLEU takes words as given).</summary>
    Whitespace,
}

/// <summary>A BLEU score with its parts (scale 0–1, as NLTK; sacrebleu reports 100×).</summary>
/// <param name="Score">The brevity penalty times the geometric mean of the n-gram precisions.</param>
/// <param name="Precisions">The (smoothed, for sentence BLEU) n-gram precisions, n = 1..4.</param>
/// <param name="Matches">Clipped n-gram matches, n = 1..4 (before smoothing).</param>
/// <param name="Totals">Hypothesis n-grams, n = 1..4 (before smoothing).</param>
/// <param name="HypothesisLength">Words in the hypotheses.</param>
/// <param name="ReferenceLength">For each hypothesis, the words of the reference closest in length (ties: the shorter), summed.</param>
public sealed record BleuScore(
    double Score, IReadOnlyList<double> Precisions, double BrevityPenalty,
    IReadOnlyList<int> Matches, IReadOnlyList<int> Totals, int HypothesisLength, int ReferenceLength);

/// <summary>
/// BLEU (Papineni et al., 2002) with 4-grams, uniform weights and the brevity penalty.
/// </summary>
/// <remarks>
/// <para><see cref="Corpus(IReadOnlyList{string}, IReadOnlyList{IReadOnlyList{string}}, BleuTokenization)"/> is
/// corpus BLEU as NLTK's corpus_bleu and sacrebleu's corpus_bleu(smooth_method="none") compute it: clipped
/// n-gram matches and hypothesis n-gram counts are summed over the corpus before dividing (micro average), each
/// n-gram's count clipped by its largest count in any one reference; r sums the reference lengths closest to each
/// hypothesis length; BP = exp(1 - r/c) when c &lt; r, else 1. Unsmoothed: when any n-gram order has no match
/// the score is 0 (NLTK returns a number below 1e-70 there and warns).</para>
/// <para><see cref="Sentence(string, IReadOnlyList{string}, BleuTokenization)"/> is for single short texts,
/// where some 4-gram almost never matches: BLEU+1 (Lin and Och, 2004), i.e. sacrebleu's add-k smoothing with
/// k = 1: for n ≥ 2 the precision is (matches + 1) / (n-grams + 1); unigrams are not smoothed, and no unigram
/// match gives 0. NLTK's method2 agrees except for hypotheses shorter than n words, where NLTK counts one n-gram.</para>
/// </remarks>
public static class Bleu
{
    public const int MaxOrder = 4;

    // sacrebleu's tokenizer_re.py (the 13a post-processing), in order.
    private static readonly (Regex Pattern, string Replacement)[] Rules13a =
    [
        (new Regex(@"([{-~\[-` -&(-+:-@/])", RegexOptions.Compiled | RegexOptions.CultureInvariant), " $1 "),
        (new Regex(@"([^0-9])([.,])", RegexOptions.Compiled | RegexOptions.CultureInvariant), "$1 $2 "),
        (new Regex(@"([.,])([^0-9])", RegexOptions.Compiled | RegexOptions.CultureInvariant), " $1 $2"),
        (new Regex(@"([0-9])(-)", RegexOptions.Compiled | RegexOptions.CultureInvariant), "$1 $2 "),
    ];

    /// <summary>The words BLEU counts.</summary>
    public static string[] Tokenize(string text, BleuTokenization tokenization = BleuTokenization.Mteval13a)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (tokenization == BleuTokenization.Mteval13a)
        {
            // sacrebleu strips the end of a segment, then tokenizer_13a.py: the language-independent part ...
            var line = text.TrimEnd()
                .Replace("<skipped>", "", StringComparison.Ordinal)
                .Replace("-\n", "", StringComparison.Ordinal)
                .Replace("\n", " ", StringComparison.Ordinal)
                .Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
            // ... then the regular expressions on the line padded with spaces.
            line = $" {line} ";
            foreach (var (pattern, replacement) in Rules13a) line = pattern.Replace(line, replacement);
            text = line;
        }
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Corpus BLEU of hypotheses against one reference each.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, BleuTokenization tokenization = BleuTokenization.Mteval13a)
    {
        MetricInputs.CheckPairs(hypotheses, references);
        return Corpus(hypotheses, references.Select(r => (IReadOnlyList<string>)[r]).ToList(), tokenization);
    }

    /// <summary>Corpus BLEU of hypotheses against one or more references each.</summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references, BleuTokenization tokenization = BleuTokenization.Mteval13a)
    {
        MetricInputs.CheckPairs(hypotheses, references);
        return CorpusOfWords(
            hypotheses.Select(h => (IReadOnlyList<string>)Tokenize(h, tokenization)).ToList(),
            references.Select(refs => (IReadOnlyList<IReadOnlyList<string>>)refs.Select(r => (IReadOnlyList<string>)Tokenize(r, tokenization)).ToList()).ToList());
    }

    /// <summary>Corpus BLEU of already tokenized text (NLTK's corpus_bleu(list_of_references, hypotheses)).</summary>
    public static BleuScore CorpusOfWords(IReadOnlyList<IReadOnlyList<string>> hypotheses, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references)
    {
        MetricInputs.CheckPairs(hypotheses, references);
        var stats = new Statistics();
        for (var i = 0; i < hypotheses.Count; i++) stats.Add(hypotheses[i], references[i]);
        return stats.Score(smoothed: false);
    }

    /// <summary>Smoothed BLEU of one hypothesis against its references (see the remarks).</summary>
    public static BleuScore Sentence(string hypothesis, IReadOnlyList<string> references, BleuTokenization tokenization = BleuTokenization.Mteval13a)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(references);
        return SentenceOfWords(Tokenize(hypothesis, tokenization), references.Select(r => (IReadOnlyList<string>)Tokenize(r, tokenization)).ToList());
    }

    /// <summary>Smoothed BLEU of one hypothesis against one reference.</summary>
    public static BleuScore Sentence(string hypothesis, string reference, BleuTokenization tokenization = BleuTokenization.Mteval13a) =>
        Sentence(hypothesis, [reference], tokenization);

    /// <summary>Smoothed BLEU of already tokenized text.</summary>
    public static BleuScore SentenceOfWords(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
    {
        var stats = new Statistics();
        stats.Add(hypothesis, references);
        return stats.Score(smoothed: true);
    }

    /// <summary>BLEU's sufficient statistics, summed over segments.</summary>
    private sealed class Statistics
    {
        private readonly int[] _matches = new int[MaxOrder];
        private readonly int[] _totals = new int[MaxOrder];
        private int _hypothesisLength;
        private int _referenceLength;

        public void Add(IReadOnlyList<string> hypothesis, IReadOnlyList<IReadOnlyList<string>> references)
        {
            ArgumentNullException.ThrowIfNull(hypothesis);
            ArgumentNullException.ThrowIfNull(references);
            if (references.Count == 0) throw new ArgumentException("every hypothesis needs at least one reference", nameof(references));
            for (var n = 1; n <= MaxOrder; n++)
            {
                var counts = NGrams(hypothesis, n);
                // Each n-gram is credited at most as often as it occurs in any single reference.
                var maxInReference = new Dictionary<(string, string?, string?, string?), int>();
                foreach (var reference in references)
                    foreach (var (gram, count) in NGrams(reference, n))
                        maxInReference[gram] = Math.Max(maxInReference.GetValueOrDefault(gram), count);
                foreach (var (gram, count) in counts)
                {
                    _matches[n - 1] += Math.Min(count, maxInReference.GetValueOrDefault(gram));
                    _totals[n - 1] += count;
                }
            }
            _hypothesisLength += hypothesis.Count;
            _referenceLength += ClosestReferenceLength(hypothesis.Count, references);
        }

        public BleuScore Score(bool smoothed)
        {
            int c = _hypothesisLength, r = _referenceLength;
            var bp = c >= r ? 1.0 : c == 0 ? 0.0 : Math.Exp(1 - (double)r / c);
            var precisions = new double[MaxOrder];
            var logSum = 0.0;
            var zero = _matches[0] == 0;
            for (var n = 1; n <= MaxOrder; n++)
            {
                double matches = _matches[n - 1], total = _totals[n - 1];
                if (smoothed && n > 1) (matches, total) = (matches + 1, total + 1);
                precisions[n - 1] = total > 0 ? matches / total : 0;
                if (precisions[n - 1] == 0) zero = true;
                else logSum += Math.Log(precisions[n - 1]);
            }
            var score = zero ? 0 : bp * Math.Exp(logSum / MaxOrder);
            return new BleuScore(score, precisions, bp, [.. _matches], [.. _totals], c, r);
        }

        private static Dictionary<(string, string?, string?, string?), int> NGrams(IReadOnlyList<string> words, int n)
        {
            var counts = new Dictionary<(string, string?, string?, string?), int>();
            for (var i = 0; i + n <= words.Count; i++)
            {
                var key = (words[i], n > 1 ? words[i + 1] : null, n > 2 ? words[i + 2] : null, n > 3 ? words[i + 3] : null);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
            return counts;
        }

        private static int ClosestReferenceLength(int hypothesisLength, IReadOnlyList<IReadOnlyList<string>> references)
        {
            var best = references[0].Count;
            foreach (var reference in references)
            {
                var (d, bestD) = (Math.Abs(reference.Count - hypothesisLength), Math.Abs(best - hypothesisLength));
                if (d < bestD || (d == bestD && reference.Count < best)) best = reference.Count;
            }
            return best;
        }
    }
}
