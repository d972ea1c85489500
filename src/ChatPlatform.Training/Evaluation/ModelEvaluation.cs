using ChatPlatform.Llm;
using ChatPlatform.Training.Data;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Training.Evaluation;

/// <summary>What `chatplatform eval` reports for a model (with or without an adapter) on a dataset.</summary>
public sealed record ModelEvaluationReport(string Model, string? Adapter, string Data, int Examples, double EvalLoss, double Perplexity,
    GenerationReport Generation, SftReadReport DataReport);

public static class ModelEvaluation
{
    /// <summary>Eval loss and perplexity over every example (assistant tokens only), then generation metrics on the first N.</summary>
    public static ModelEvaluationReport Run(LocalModel model, string dataFile, int generationExamples = 32, int batchSize = 4,
        bool skipInvalid = false, int maxNewTokens = 256, CancellationToken cancellationToken = default)
    {
        var read = SftJsonl.ReadFile(dataFile, new SftReadOptions { SkipInvalid = skipInvalid });
        if (read.Examples.Count == 0) throw new InvalidDataException($"{dataFile}: no examples to evaluate");
        var tokenizer = SftTokenizer.FromModelFolder(model.Directory, new SftTokenizerOptions { MaxLength = model.ContextLength });
        var tokenized = tokenizer.TokenizeAll(read.Examples);
        var batches = new SftBatcher(tokenized.Examples, new SftBatcherOptions { BatchSize = batchSize, PadTokenId = tokenizer.PadTokenId, Shuffle = false });
        var loss = CausalLmLoss.Mean(model.Model, batches.Batches(0));
        var generation = GenerationEvaluation.Run(model, read.Examples.Take(generationExamples).ToList(), maxNewTokens, cancellationToken);
        return new ModelEvaluationReport(model.Directory, model.Adapter, Path.GetFullPath(dataFile), read.Examples.Count, loss, Math.Exp(loss),
            generation, read.Report);
    }
}
