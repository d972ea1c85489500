using ChatPlatform.Training.Evaluation;
using static ChatPlatform.Training.Tests.Evaluation.MetricsReference;

namespace ChatPlatform.Training.Tests.Evaluation;

public sealed class RougeLTests
{
    [Fact]
    public void Textbook_example()
    {
        // LCS of "the cat was found under the bed" and "the cat was under the bed" is the whole reference (6 words):
        // precision 6/7, recall 6/6, F = 2 · (6/7) · 1 / (6/7 + 1) = 12/13.
        var s = RougeL.Score("the cat was found under the bed", "the cat was under the bed");

        Approx.Equal([6.0 / 7, 1.0, 12.0 / 13], [s.Precision, s.Recall, s.F1], 1e-12);
    }

    [Fact]
    public void Tokenization_is_rouge_scores_by_default_or_unicode_on_request()
    {
        const string text = "Hello, WORLD! It's 2024—Café_au-lait";

        Assert.Equal(["hello", "world", "it", "s", "2024", "caf", "au", "lait"], RougeL.Tokenize(text));
        Assert.Equal(["hello", "world", "it", "s", "2024", "café", "au", "lait"], RougeL.Tokenize(text, RougeTokenization.Unicode));
        Assert.Equal(["注文", "12345"], RougeL.Tokenize("注文 #12345", RougeTokenization.Unicode));
        Assert.Empty(RougeL.Tokenize("注文", RougeTokenization.RougeScore));
    }

    [Fact]
    public void Empty_sides_and_disjoint_texts_score_zero()
    {
        Assert.Equal(default, RougeL.Score("", "something"));
        Assert.Equal(default, RougeL.Score("something", "?!"));
        Assert.Equal(default, RougeL.Score("alpha beta", "gamma delta"));
        Assert.Equal(1.0, RougeL.Score("Same words.", "same   WORDS").F1);
    }

    [Theory]
    [MemberData(nameof(Indices), "rouge_l", MemberType = typeof(MetricsReference))]
    public void Matches_the_python_reference(int index)
    {
        var c = Get("rouge_l")[index];

        var s = RougeL.Score(c.GetProperty("prediction").GetString()!, c.GetProperty("reference").GetString()!);

        Assert.Equal(Strings(c.GetProperty("words")), RougeL.Tokenize(c.GetProperty("prediction").GetString()!));
        Approx.Equal([c.GetProperty("precision").GetDouble(), c.GetProperty("recall").GetDouble(), c.GetProperty("f1").GetDouble()],
            [s.Precision, s.Recall, s.F1], 1e-12);
    }

    [Fact]
    public void Mean_over_pairs_matches_the_python_reference()
    {
        var cases = Get("rouge_l").EnumerateArray().ToList();
        var expected = Get("rouge_l_mean");

        var mean = RougeL.Mean(
            cases.Select(c => c.GetProperty("prediction").GetString()!).ToList(),
            cases.Select(c => c.GetProperty("reference").GetString()!).ToList());

        Approx.Equal([expected.GetProperty("precision").GetDouble(), expected.GetProperty("recall").GetDouble(), expected.GetProperty("f1").GetDouble()],
            [mean.Precision, mean.Recall, mean.F1], 1e-12);
        Assert.Throws<ArgumentException>(() => RougeL.Mean(["a"], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => RougeL.Mean([], []));
    }
}

public sealed class BleuTests
{
    // NLTK's corpus_bleu / sentence_bleu doctest (Papineni et al.'s example sentences).
    private static readonly string[] Hyp1 = "It is a guide to action which ensures that the military always obeys the commands of the party".Split(' ');
    private static readonly string[] Ref1A = "It is a guide to action that ensures that the military will forever heed Party commands".Split(' ');
    private static readonly string[] Ref1B = "It is the guiding principle which guarantees the military forces always being under the command of the Party".Split(' ');
    private static readonly string[] Ref1C = "It is the practical guide for the army always to heed the directions of the party".Split(' ');
    private static readonly string[] Hyp2 = "he read the book because he was interested in world history".Split(' ');
    private static readonly string[] Ref2A = "he was interested in world history because he read the book".Split(' ');

    [Fact]
    public void Corpus_bleu_matches_nltks_documented_value()
    {
        var score = Bleu.CorpusOfWords([Hyp1, Hyp2], [[Ref1A, Ref1B, Ref1C], [Ref2A]]);

        // The doctest prints 0.5920...; the Python reference agrees to all digits.
        Assert.StartsWith("0.5920", score.Score.ToString("F6", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Approx.Equal([Get("published_checks").GetProperty("corpus").GetDouble()], [score.Score], 1e-12);
        Assert.Equal(1.0, score.BrevityPenalty);
    }

    [Fact]
    public void Unsmoothed_single_sentences_match_nltks_documented_values()
    {
        // NLTK's sentence_bleu doctest gives 0.5045... for hypothesis 1, and the two sentences average 0.6223....
        var s1 = Bleu.CorpusOfWords([Hyp1], [[Ref1A, Ref1B, Ref1C]]).Score;
        var s2 = Bleu.CorpusOfWords([Hyp2], [[Ref2A]]).Score;

        Approx.Equal([0.5045666840058485], [s1], 1e-12);
        Assert.StartsWith("0.6223", ((s1 + s2) / 2).ToString("F6", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Modified_precision_clips_by_reference_counts()
    {
        // Papineni et al. (2002), section 2.1: "the the the the the the the" scores 2/7 unigram precision.
        var score = Bleu.CorpusOfWords([[.. "the the the the the the the".Split(' ')]],
            [[[.. "the cat is on the mat".Split(' ')], [.. "there is a cat on the mat".Split(' ')]]]);

        Assert.Equal((2, 7), (score.Matches[0], score.Totals[0]));
        Assert.Equal(2.0 / 7, score.Precisions[0], 12);
        Assert.Equal(0, score.Score); // no bigram matches: unsmoothed BLEU is 0
    }

    [Fact]
    public void Sentence_bleu_adds_one_to_higher_orders_hand_computed()
    {
        // "the cat sat on the mat" vs "the cat is on the mat": matches 5/6, 3/5, 1/4, 0/3; BLEU+1 gives
        // 5/6 · 4/6 · 2/5 · 1/4 = 1/18, so BLEU = (1/18)^(1/4); lengths equal, no penalty.
        var s = Bleu.Sentence("the cat sat on the mat", "the cat is on the mat");

        Approx.Equal([5.0 / 6, 4.0 / 6, 2.0 / 5, 1.0 / 4], s.Precisions, 1e-12);
        Assert.Equal([5, 3, 1, 0], s.Matches);
        Assert.Equal([6, 5, 4, 3], s.Totals);
        Approx.Equal([Math.Pow(1.0 / 18, 0.25)], [s.Score], 1e-12);
        Assert.Equal(0, Bleu.Corpus(["the cat sat on the mat"], ["the cat is on the mat"]).Score);
    }

    [Fact]
    public void Brevity_penalty_for_short_hypotheses_hand_computed()
    {
        // Two words against six: every (smoothed) precision is 1, BP = exp(1 - 6/2) = e^-2.
        var s = Bleu.Sentence("the cat", "the cat sat on the mat");

        Approx.Equal([1, 1, 1, 1], s.Precisions, 1e-12);
        Approx.Equal([Math.Exp(-2)], [s.BrevityPenalty], 1e-12);
        Approx.Equal([Math.Exp(-2)], [s.Score], 1e-12);
        Assert.Equal(0, Bleu.Sentence("", "the cat").Score);
        Assert.Equal(0, Bleu.Sentence("dog", "the cat").Score);
    }

    [Fact]
    public void Closest_reference_length_prefers_the_shorter_on_ties()
    {
        // Hypothesis of 4 words; references of 3 and 5 words are equally close: r = 3 (no penalty, c > r).
        var s = Bleu.SentenceOfWords(["a", "b", "c", "d"], [["a", "b", "c", "d", "e"], ["a", "b", "c"]]);

        Assert.Equal(3, s.ReferenceLength);
        Assert.Equal(1.0, s.BrevityPenalty);
    }

    [Theory]
    [MemberData(nameof(Indices), "bleu_13a", MemberType = typeof(MetricsReference))]
    public void Tokenization_13a_matches_the_python_reference(int index)
    {
        var c = Get("bleu_13a")[index];

        Assert.Equal(Strings(c.GetProperty("words")), Bleu.Tokenize(c.GetProperty("text").GetString()!));
    }

    [Fact]
    public void Tokenization_13a_by_hand()
    {
        Assert.Equal(["Pay", "$", "1,000.50", "by", "3", "-", "5", "May", "(", "e-mail", ")", "."],
            Bleu.Tokenize("Pay $1,000.50 by 3-5 May (e-mail)."));
        Assert.Equal(["a", "&", "b", "<", "c", "\"", "d"], Bleu.Tokenize("a &amp; b &lt; c &quot;d"));
        Assert.Equal(["Pay", "$1,000.50", "by", "3-5"], Bleu.Tokenize("Pay $1,000.50 by 3-5", BleuTokenization.Whitespace));
    }

    [Theory]
    [MemberData(nameof(Indices), "sentence_bleu", MemberType = typeof(MetricsReference))]
    public void Sentence_bleu_matches_the_python_reference(int index)
    {
        var c = Get("sentence_bleu")[index];

        var s = Bleu.Sentence(c.GetProperty("hypothesis").GetString()!, Strings(c.GetProperty("references")));

        Approx.Equal([c.GetProperty("score").GetDouble()], [s.Score], 1e-12);
        Approx.Equal(Doubles(c.GetProperty("precisions")), s.Precisions, 1e-12);
        Approx.Equal([c.GetProperty("brevity_penalty").GetDouble()], [s.BrevityPenalty], 1e-12);
    }

    [Fact]
    public void Corpus_bleu_matches_the_python_reference()
    {
        var c = Get("corpus_bleu");
        var hypotheses = Strings(c.GetProperty("hypotheses"));
        var references = c.GetProperty("references").EnumerateArray().Select(r => (IReadOnlyList<string>)Strings(r)).ToList();

        var s = Bleu.Corpus(hypotheses, references);

        Approx.Equal([c.GetProperty("score").GetDouble()], [s.Score], 1e-12);
        Assert.Equal(Ints(c.GetProperty("matches")), s.Matches);
        Assert.Equal(Ints(c.GetProperty("totals")), s.Totals);
        Assert.Equal(c.GetProperty("hypothesis_length").GetInt32(), s.HypothesisLength);
        Assert.Equal(c.GetProperty("reference_length").GetInt32(), s.ReferenceLength);
        Approx.Equal([c.GetProperty("brevity_penalty").GetDouble()], [s.BrevityPenalty], 1e-12);
        Assert.True(s.BrevityPenalty < 1); // the empty hypothesis makes the corpus short

        var w = Get("corpus_bleu_whitespace");
        Approx.Equal([w.GetProperty("score").GetDouble()], [Bleu.Corpus(hypotheses, references, BleuTokenization.Whitespace).Score], 1e-12);
    }
}

public sealed class ExactMatchTests
{
    [Theory]
    [MemberData(nameof(Indices), "exact_match", MemberType = typeof(MetricsReference))]
    public void Whitespace_is_normalised_case_and_punctuation_count(int index)
    {
        var c = Get("exact_match")[index];

        Assert.Equal(c.GetProperty("match").GetBoolean(), ExactMatch.IsMatch(c.GetProperty("prediction").GetString()!, c.GetProperty("reference").GetString()!));
    }

    [Fact]
    public void Normalisation_rate_and_ignore_case()
    {
        Assert.Equal("a b c", ExactMatch.Normalize(" \t a \r\n b\u00A0 c \n"));
        Assert.True(ExactMatch.IsMatch("BILLING", "billing", ignoreCase: true));
        Assert.False(ExactMatch.IsMatch("BILLING", "billing"));
        Assert.Equal(2.0 / 3, ExactMatch.Rate(["yes", " no ", "maybe"], ["yes", "no", "no"]), 12);
    }
}

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Hand_computed_macro_scores_count_invented_labels_as_classes()
    {
        // refs a a b b c, preds a b b b d. Classes a, b, c, d:
        // a: P 1/1, R 1/2, F 2/3; b: P 2/3, R 2/2, F 4/5; c: never predicted, P 0, R 0; d: invented, P 0, R 0.
        var report = ClassificationMetrics.Compute(["a", "b", "b", "b", "d"], ["a", "a", "b", "b", "c"]);

        Assert.Equal(0.6, report.Accuracy, 12);
        Assert.Equal(new[] { "a", "b", "c", "d" }, report.PerClass.Keys);
        Approx.Equal([(1 + 2.0 / 3) / 4, (0.5 + 1) / 4, (2.0 / 3 + 0.8) / 4],
            [report.MacroPrecision, report.MacroRecall, report.MacroF1], 1e-12);
        Assert.Equal(new ClassScores(0, 0, 0, 0), report.PerClass["d"]);
        Assert.Equal(2, report.PerClass["a"].Support);
    }

    [Fact]
    public void Matches_the_numpy_reference()
    {
        var c = Get("classification");

        var report = ClassificationMetrics.Compute(Strings(c.GetProperty("predictions")), Strings(c.GetProperty("references")));

        Approx.Equal(
            [c.GetProperty("accuracy").GetDouble(), c.GetProperty("macro_precision").GetDouble(), c.GetProperty("macro_recall").GetDouble(), c.GetProperty("macro_f1").GetDouble()],
            [report.Accuracy, report.MacroPrecision, report.MacroRecall, report.MacroF1], 1e-12);
        foreach (var cls in c.GetProperty("per_class").EnumerateObject())
        {
            var expected = cls.Value;
            var actual = report.PerClass[cls.Name];
            Approx.Equal([expected.GetProperty("precision").GetDouble(), expected.GetProperty("recall").GetDouble(), expected.GetProperty("f1").GetDouble()],
                [actual.Precision, actual.Recall, actual.F1], 1e-12);
            Assert.Equal(expected.GetProperty("support").GetInt32(), actual.Support);
        }
    }

    [Fact]
    public void Labels_are_compared_after_whitespace_normalisation_and_optionally_case_folding()
    {
        var strict = ClassificationMetrics.Compute(["Billing\n", " refund "], ["billing", "refund"]);
        var folded = ClassificationMetrics.Compute(["Billing\n", " refund "], ["billing", "refund"], ignoreCase: true);

        Assert.Equal(0.5, strict.Accuracy);
        Assert.Equal(3, strict.PerClass.Count);
        Assert.Equal(1.0, folded.Accuracy);
        Assert.Equal(1.0, folded.MacroF1);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute([], []));
    }
}
