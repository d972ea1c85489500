using System.Diagnostics;
using System.Text.Json;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;

namespace ChatPlatform.Training.Trainer;

/// <summary>
/// Supervised fine-tuning of a causal LM: LoRA (default), full, or top-layers-only. AdamW without decay on norms and
/// biases, warmup then cosine/linear decay, gradient accumulation normalised by the loss tokens of the whole
/// accumulation window (so 4 micro-batches of 2 equal one batch of 8), global grad-norm clipping, periodic eval
/// with early stopping, atomic checkpoints and exact resume. Runs on the calling thread; reports progress and
/// honours cancellation between micro-batches (the last checkpoint stays valid).
/// </summary>
public sealed class SftTrainer
{
    private readonly LlamaForCausalLM model;
    private readonly TrainingOptions options;
    private readonly SftBatcher trainBatches;
    private readonly IReadOnlyList<SftBatch> evalBatches;
    private readonly string outputDirectory;
    private readonly IReadOnlyDictionary<string, LoraLinear>? adapters;
    private readonly List<(string Name, Tensor Parameter)> trainable;

    /// <param name="trainBatches">The training micro-batches: a deterministic order per epoch, so a resumed run recreates it.</param>
    public SftTrainer(LlamaForCausalLM model, TrainingOptions options, SftBatcher trainBatches,
        IReadOnlyList<SftBatch> evalBatches, string outputDirectory)
    {
        options.Validate();
        this.model = model;
        this.options = options;
        this.trainBatches = trainBatches;
        this.evalBatches = evalBatches;
        this.outputDirectory = outputDirectory;
        torch.manual_seed(options.Seed);
        using (var g = new Generator(options.Seed))
            adapters = SelectTrainable(model, options, g);
        // With gradual unfreezing every layer may join later, so the optimizer knows them all (frozen ones get no
        // gradient, and AdamW skips them until they do).
        trainable = options is { Method: TrainingMethod.Freeze, UnfreezeEveryEpochs: > 0 }
            ? model.named_parameters().Where(p => IsLayerOrFinalNorm(p.name)).ToList()
            : model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (trainable.Count == 0) throw new InvalidOperationException("the chosen method leaves no parameter to train");
    }

    public IReadOnlyList<(string Name, Tensor Parameter)> TrainableParameters => trainable;

    /// <summary>The LoRA layers, when the method is LoRA.</summary>
    public IReadOnlyDictionary<string, LoraLinear>? Adapters => adapters;

    private static IReadOnlyDictionary<string, LoraLinear>? SelectTrainable(LlamaForCausalLM model, TrainingOptions options, Generator g)
    {
        switch (options.Method)
        {
            case TrainingMethod.Lora:
                return LoraAdapter.Apply(model, options.Lora, g);
            case TrainingMethod.Full:
                foreach (var p in model.parameters()) p.requires_grad = true;
                return null;
            case TrainingMethod.Prompt:
                VirtualTokenAdapter.ApplyPromptTuning(model, options.VirtualTokens, g);
                return null;
            case TrainingMethod.Prefix:
                VirtualTokenAdapter.ApplyPrefixTuning(model, options.VirtualTokens, g);
                return null;
            default:
                TrainTopLayers(model, options.TrainTopLayers);
                return null;
        }
    }

    /// <summary>Makes the top <paramref name="count"/> decoder layers and the final norm trainable, everything else frozen.</summary>
    private static void TrainTopLayers(LlamaForCausalLM model, int count)
    {
        var layers = model.Config.NumHiddenLayers;
        var first = Math.Max(0, layers - count);
        foreach (var (name, p) in model.named_parameters())
            p.requires_grad = name.StartsWith("model.norm.", StringComparison.Ordinal) ||
                              Enumerable.Range(first, layers - first).Any(i => name.StartsWith($"model.layers.{i}.", StringComparison.Ordinal));
    }

    private static bool IsLayerOrFinalNorm(string name) =>
        name.StartsWith("model.layers.", StringComparison.Ordinal) || name.StartsWith("model.norm.", StringComparison.Ordinal);

    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default,
        string? resumeFrom = null)
    {
        Directory.CreateDirectory(outputDirectory);
        var checkpoints = new CheckpointStore(outputDirectory, options.KeepCheckpoints);
        var batchesPerEpoch = trainBatches.BatchesPerEpoch;
        if (batchesPerEpoch == 0) throw new InvalidOperationException("there are no training batches");
        var stepsPerEpoch = (batchesPerEpoch + options.GradientAccumulationSteps - 1) / options.GradientAccumulationSteps;
        var totalSteps = stepsPerEpoch * options.Epochs;
        var schedule = new LearningRateSchedule(options.LearningRate, (int)Math.Round(options.WarmupRatio * totalSteps), totalSteps, options.Schedule);
        using var optimizer = new torch.optim.AdamW(trainable.Select(t => t.Parameter), options.LearningRate, options.AdamBeta1,
            options.AdamBeta2, 1e-8, options.WeightDecay, noWeightDecay: trainable.Where(t => t.Parameter.dim() < 2).Select(t => t.Parameter));

        var state = new TrainerState();
        if (resumeFrom is not null)
        {
            var folder = Directory.Exists(Path.Combine(resumeFrom, "checkpoints")) ? new CheckpointStore(resumeFrom, 1).Latest() : resumeFrom;
            if (folder is null) throw new InvalidDataException($"{resumeFrom} holds no checkpoint to resume from");
            (state, var saved) = CheckpointStore.Load(folder, trainable, options.LearningRate);
            using (saved) optimizer.load_state_dict(saved);
        }

        using var metrics = new StreamWriter(Path.Combine(outputDirectory, "metrics.jsonl"), append: resumeFrom is not null);
        var clock = Stopwatch.StartNew();
        var startStep = state.GlobalStep;
        long tokensSeen = 0;
        double? lastLoss = null, lastEval = null;
        var stoppedEarly = false;
        var cancelled = false;
        model.train();

        for (var epoch = state.Epoch; epoch < options.Epochs && !stoppedEarly && !cancelled; epoch++)
        {
            if (options is { Method: TrainingMethod.Freeze, UnfreezeEveryEpochs: > 0 })
                TrainTopLayers(model, options.TrainTopLayers + epoch / options.UnfreezeEveryEpochs);
            var index = epoch == state.Epoch ? state.BatchInEpoch : 0;
            using var batches = trainBatches.Batches(epoch, index).GetEnumerator();
            while (index < batchesPerEpoch)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                var window = new List<SftBatch>(options.GradientAccumulationSteps);
                while (window.Count < options.GradientAccumulationSteps && batches.MoveNext()) window.Add(batches.Current);
                index += window.Count;
                var (loss, gradNorm, tokens) = OptimizerStep(optimizer, schedule.RateAt(state.GlobalStep), window);
                tokensSeen += tokens;
                lastLoss = loss;
                state = state with { GlobalStep = state.GlobalStep + 1, Epoch = epoch, BatchInEpoch = index };
                var elapsed = clock.Elapsed;
                var done = state.GlobalStep - startStep;
                var eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / Math.Max(1, done) * (totalSteps - state.GlobalStep));
                var lr = schedule.RateAt(state.GlobalStep - 1);
                var tokensPerSecond = tokensSeen / Math.Max(1e-9, elapsed.TotalSeconds);
                WriteMetric(metrics, new { step = state.GlobalStep, epoch, loss, lr, grad_norm = gradNorm, tokens_per_second = tokensPerSecond });
                progress?.Report(new TrainingProgress(TrainingEventKind.Step, state.GlobalStep, totalSteps, epoch, loss, lastEval, lr,
                    tokensPerSecond, elapsed, eta));

                var endOfEpoch = index >= batchesPerEpoch;
                if ((options.EvalEverySteps > 0 && state.GlobalStep % options.EvalEverySteps == 0) || (endOfEpoch && options.EvalEverySteps == 0))
                {
                    (state, lastEval, stoppedEarly) = Evaluate(state, metrics, progress, totalSteps, epoch, lr, tokensPerSecond, elapsed);
                }
                if ((options.SaveEverySteps > 0 && state.GlobalStep % options.SaveEverySteps == 0) || endOfEpoch || stoppedEarly)
                {
                    var saveState = endOfEpoch ? state with { Epoch = epoch + 1, BatchInEpoch = 0 } : state;
                    using var saved = optimizer.state_dict();
                    var path = checkpoints.Save(saveState, trainable, saved);
                    progress?.Report(new TrainingProgress(TrainingEventKind.Checkpoint, state.GlobalStep, totalSteps, epoch, loss, lastEval, lr,
                        tokensPerSecond, elapsed, eta, path));
                }
                if (stoppedEarly) break;
            }
        }
        model.eval();
        if (!cancelled) SaveAdapter();
        progress?.Report(new TrainingProgress(TrainingEventKind.Finished, state.GlobalStep, totalSteps, state.Epoch, lastLoss, lastEval,
            0, 0, clock.Elapsed, TimeSpan.Zero, cancelled ? "cancelled" : stoppedEarly ? "stopped early" : "done"));
        return new TrainingResult(state.GlobalStep, lastLoss, lastEval, state.BestEvalLoss, stoppedEarly, cancelled, outputDirectory);
    }

    /// <summary>The trained adapter in PEFT's layout (LoRA, prompt or prefix tuning); full and top-layer runs keep their
    /// weights in the checkpoints (export with the merge tooling).</summary>
    private void SaveAdapter()
    {
        if (adapters is not null) LoraAdapter.Save(outputDirectory, adapters, options.Lora);
        else if (options.Method is TrainingMethod.Prompt or TrainingMethod.Prefix)
            VirtualTokenAdapter.Save(outputDirectory, model, options.Lora.BaseModelNameOrPath);
    }

    /// <summary>Accumulates gradients over the window's micro-batches and takes one optimizer step.</summary>
    private (double Loss, double GradNorm, long Tokens) OptimizerStep(torch.optim.AdamW optimizer, double lr, IReadOnlyList<SftBatch> window)
    {
        var lossTokens = window.Sum(CausalLmLoss.LossTokens);
        double lossSum = 0;
        long tokens = 0;
        foreach (var batch in window)
        {
            using var scope = torch.NewDisposeScope();
            tokens += batch.TokenCount;
            if (options.GradientCheckpointing)
            {
                lossSum += CausalLmLoss.CheckpointedBackward(model, batch, lossTokens > 0 ? 1.0 / lossTokens : 0.0,
                    autocast: options.AutocastDtype(model.Device));
                continue;
            }
            var loss = CausalLmLoss.Sum(model, batch, options.AutocastDtype(model.Device));
            lossSum += loss.ToDouble();
            if (lossTokens > 0) (loss / lossTokens).backward();
        }
        var norm = options.MaxGradNorm > 0 ? torch.nn.utils.clip_grad_norm_(trainable.Select(t => t.Parameter), options.MaxGradNorm) : 0;
        optimizer.LearningRate = lr;
        optimizer.step();
        optimizer.zero_grad();
        return (lossTokens > 0 ? lossSum / lossTokens : 0, norm, tokens);
    }

    /// <summary>Token-weighted mean loss over the eval batches (perplexity = e^loss).</summary>
    public double EvalLoss() => CausalLmLoss.Mean(model, evalBatches, options.AutocastDtype(model.Device));

    private (TrainerState, double?, bool) Evaluate(TrainerState state, StreamWriter metrics, IProgress<TrainingProgress>? progress, int totalSteps,
        int epoch, double lr, double tokensPerSecond, TimeSpan elapsed)
    {
        if (evalBatches.Count == 0) return (state, null, false);
        var evalLoss = EvalLoss();
        var improved = state.BestEvalLoss is not { } best || evalLoss < best;
        state = state with
        {
            BestEvalLoss = improved ? evalLoss : state.BestEvalLoss,
            EvalsWithoutImprovement = improved ? 0 : state.EvalsWithoutImprovement + 1,
        };
        WriteMetric(metrics, new { step = state.GlobalStep, epoch, eval_loss = evalLoss, eval_perplexity = Math.Exp(evalLoss) });
        progress?.Report(new TrainingProgress(TrainingEventKind.Evaluation, state.GlobalStep, totalSteps, epoch, null, evalLoss, lr,
            tokensPerSecond, elapsed, null));
        var stop = options.EarlyStoppingPatience > 0 && state.EvalsWithoutImprovement >= options.EarlyStoppingPatience;
        return (state, evalLoss, stop);
    }

    private static void WriteMetric(StreamWriter writer, object record)
    {
        writer.WriteLine(JsonSerializer.Serialize(record));
        writer.Flush();
    }
}
