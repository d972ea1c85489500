using ChatPlatform.Llm;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;

namespace ChatPlatform.Training.Evaluation;

/// <summary>Generation metrics of a model on held-out conversations: its answer to each last user turn against the reference.</summary>
public sealed record GenerationReport(
    int Examples,
    double RougeLF1,
    double Bleu,
    double ExactMatch,
    ClassificationReport? Classification,
    IReadOnlyList<GenerationSample> Samples);

public sealed record GenerationSample(string Prediction, string Reference);

public static class GenerationEvaluation
{
    /// <summary>
    /// Greedily answers the last assistant turn of each example from the turns before it and scores the answers:
    /// ROUGE-L F1 (mean), corpus BLEU-4, exact match; and, when every reference is a short label (at most 3 words,
    /// at most 20 distinct values), accuracy and macro precision/recall/F1 as for a classification dataset.
    /// </summary>
    public static GenerationReport Run(LocalModel model, IReadOnlyList<SftExample> examples, int maxNewTokens = 256,
        CancellationToken cancellationToken = default)
    {
        var predictions = new List<string>();
        var references = new List<string>();
        var wasTraining = model.Model.training;
        model.Model.eval();
        foreach (var example in examples)
        {
            if (cancellationToken.IsCancellationRequested) break;
            var messages = example.Messages;
            var prompt = model.RenderChat(messages.Take(messages.Count - 1), addGenerationPrompt: true);
            var ids = model.Tokenizer.Encode(prompt, addSpecialTokens: false);
            var budget = Math.Min(maxNewTokens, model.ContextLength - ids.Length);
            var reference = messages[^1].Content;
            references.Add(reference);
            if (budget < 1)
            {
                predictions.Add("");
                continue;
            }
            using var session = new GenerationSession(model.Model, new GenerationRequest([ids], budget, SamplingOptions.Greedy, model.StopTokenIds));
            while (!session.IsDone) session.Step();
            predictions.Add(model.Tokenizer.Decode(session.Generated(0).ToArray(), skipSpecialTokens: true).Trim());
        }
        model.Model.train(wasTraining);
        references = references.Take(predictions.Count).ToList();
        if (predictions.Count == 0) return new GenerationReport(0, 0, 0, 0, null, []);

        var labelStyle = references.All(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3) &&
                         references.Distinct(StringComparer.OrdinalIgnoreCase).Count() <= 20;
        return new GenerationReport(
            predictions.Count,
            predictions.Zip(references).Average(p => RougeL.Score(p.First, p.Second).F1),
            Bleu.Corpus(predictions, references).Score,
            Evaluation.ExactMatch.Rate(predictions, references),
            labelStyle ? ClassificationMetrics.Compute(predictions.Select(ExactMatch.Normalize).ToList(), references.Select(ExactMatch.Normalize).ToList(), ignoreCase: true) : null,
            predictions.Zip(references).Take(5).Select(p => new GenerationSample(p.First, p.Second)).ToList());
    }
}
