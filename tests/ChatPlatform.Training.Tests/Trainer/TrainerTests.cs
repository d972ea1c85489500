using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.Tests.Models;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Training.Tests.Trainer;

public sealed class TrainerTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "chatplatform-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Eight "conversations": a prompt of 3 tokens (no loss) then a 4-token answer (loss), right-padded.</summary>
    private static List<(int[] Prompt, int[] Answer)> Examples()
    {
        var random = new Random(3);
        return Enumerable.Range(0, 8).Select(i =>
            (new[] { 1, 10 + i, 20 + random.Next(10) }, Enumerable.Range(0, 3 + i % 2).Select(_ => 32 + random.Next(30)).Append(2).ToArray())).ToList();
    }

    private static TokenizedExample Tokenized((int[] Prompt, int[] Answer) e) =>
        new(e.Prompt.Concat(e.Answer).ToArray(),
            Enumerable.Repeat(SftTokenizer.IgnoreIndex, e.Prompt.Length).Concat(e.Answer).ToArray(), false);

    /// <summary>The eight examples as an epoch of batches of <paramref name="size"/>, right-padded with id 0.</summary>
    private static SftBatcher Batcher(int size, bool shuffle = true) =>
        new(Examples().Select(Tokenized).ToList(), new SftBatcherOptions { BatchSize = size, PadTokenId = 0, Seed = 3, Shuffle = shuffle });

    private static SftBatch Batch(int rows) => Batcher(rows, shuffle: false).Batches(0).First();

    private static List<SftBatch> EvalBatches() => Batcher(4, shuffle: false).Batches(0).ToList();

    private static Dictionary<string, double[]> Snapshot(SftTrainer trainer) =>
        trainer.TrainableParameters.ToDictionary(p => p.Name, p => Approx.Values(p.Parameter));

    [Fact]
    public void ScheduleWarmsUpThenDecays()
    {
        var cosine = new LearningRateSchedule(1.0, 2, 10);
        Assert.Equal(0.0, cosine.RateAt(0));
        Assert.Equal(0.5, cosine.RateAt(1));
        Assert.Equal(1.0, cosine.RateAt(2));
        Assert.Equal(0.5, cosine.RateAt(6), 12);   // halfway through the 8 decay steps: (1 + cos π/2) / 2
        Assert.Equal(0.0, cosine.RateAt(10), 12);
        Assert.Equal(0.25, new LearningRateSchedule(1.0, 0, 8, ScheduleKind.Linear).RateAt(6), 12);
    }

    [Fact]
    public void MaskedTokensCarryNoLossAndNoGradient()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float64);
        var batch = Batch(2);
        using var scope = torch.NewDisposeScope();
        foreach (var p in model.parameters()) p.requires_grad = true;
        var embedding = model.Model.EmbedTokens.weight;

        CausalLmLoss.Sum(model, batch).backward();
        var viaTrainer = embedding.grad!.clone();
        embedding.grad = null;

        // Independently: log-probabilities of the answer tokens only, picked out by hand.
        var logits = model.forward(torch.tensor(batch.InputIds, [2, batch.SeqLen]),
            torch.arange(batch.SeqLen).unsqueeze(0).expand(2, batch.SeqLen), keyPadding: torch.tensor(batch.AttentionMask, [2, batch.SeqLen]));
        var logProbs = logits.log_softmax(-1);
        Tensor? manual = null;
        for (var b = 0; b < 2; b++)
            for (var t = 1; t < batch.SeqLen; t++)
            {
                var label = batch.Labels[b * batch.SeqLen + t];
                if (label == SftTokenizer.IgnoreIndex) continue;
                var term = -logProbs.select(0, b).select(0, t - 1).select(0, label);
                manual = manual is null ? term : manual + term;
            }
        manual!.backward();
        Approx.Equal(Approx.Values(embedding.grad!), viaTrainer, 1e-9);
        // a token that appears only in prompts (never predicted, never an input after the last loss) gets no gradient as an output
        Assert.Equal(CausalLmLoss.LossTokens(batch), Examples().Take(2).Sum(e => e.Answer.Length));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CheckpointedBackwardGivesThePlainGradients(bool lora)
    {
        var config = TinyLlama.Config(tie: true);
        using var weights = TinyLlama.RandomWeights(config, seed: 4);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float64);
        if (lora)
        {
            var adapters = LoraAdapter.Apply(model, new LoraConfig { R = 4, Dropout = 0.2 });   // dropout: masks must be replayed
            using var g = new Generator(1);
            using var _ = torch.no_grad();
            foreach (var a in adapters.Values) a.B.weight.normal_(0, 0.1, g);
        }
        else
        {
            foreach (var p in model.parameters()) p.requires_grad = true;
        }
        model.train();
        var batch = Batch(3);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        Dictionary<string, double[]> Gradients()
        {
            var result = trainable.ToDictionary(p => p.name, p => Approx.Values(p.parameter.grad!));
            foreach (var p in trainable) p.parameter.grad = null;
            return result;
        }
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var plainLoss = CausalLmLoss.Sum(model, batch);
        (plainLoss * 0.25).backward();
        var plain = Gradients();
        torch.manual_seed(3);
        var checkpointedLoss = CausalLmLoss.CheckpointedBackward(model, batch, 0.25, chunkTokens: 5);   // several chunks
        var checkpointed = Gradients();
        Assert.Equal(plainLoss.ToDouble(), checkpointedLoss, 9);
        foreach (var (name, values) in plain) Approx.Equal(values, checkpointed[name], 1e-9);
        Assert.Contains(plain.Values, v => v.Any(x => Math.Abs(x) > 1e-6));
    }

    [Fact]
    public void GradientAccumulationFourTimesTwoEqualsOneTimesEight()
    {
        Dictionary<string, double[]> Train(int microBatch, int accumulation)
        {
            var config = TinyLlama.Config();
            using var weights = TinyLlama.RandomWeights(config, seed: 1);
            using var model = TinyLlama.Build(config, weights, ScalarType.Float64);
            var options = new TrainingOptions
            {
                Lora = new LoraConfig { R = 4, Alpha = 8, Dropout = 0 }, Epochs = 1, BatchSize = microBatch,
                GradientAccumulationSteps = accumulation, LearningRate = 1e-2, WarmupRatio = 0, Seed = 5,
            };
            var trainer = new SftTrainer(model, options, Batcher(microBatch), [], Path.Combine(folder, $"{microBatch}x{accumulation}"));
            var result = trainer.Run(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(1, result.Steps);
            return Snapshot(trainer);
        }
        var accumulated = Train(2, 4);
        var whole = Train(8, 1);
        foreach (var (name, values) in whole) Approx.Equal(values, accumulated[name], 1e-6);
    }

    [Fact]
    public void ResumeContinuesTheSameCurveAsAnUninterruptedRun()
    {
        TrainingOptions Options() => new()
        {
            Lora = new LoraConfig { R = 4, Alpha = 8, Dropout = 0.1 },   // dropout: the RNG state must be restored too
            Epochs = 3, BatchSize = 2, LearningRate = 5e-3, SaveEverySteps = 3, Seed = 9,
        };
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);

        using (var model = TinyLlama.Build(config, weights, ScalarType.Float64))
        {
            var trainer = new SftTrainer(model, Options(), Batcher(2), EvalBatches(), Path.Combine(folder, "straight"));
            trainer.Run(cancellationToken: TestContext.Current.CancellationToken);
        }
        var straight = File.ReadAllLines(Path.Combine(folder, "straight", "metrics.jsonl"));

        // Interrupted after step 5 (cancelled from the progress callback), resumed from the step-3 checkpoint.
        using (var model = TinyLlama.Build(config, weights, ScalarType.Float64))
        {
            using var cts = new CancellationTokenSource();
            var trainer = new SftTrainer(model, Options(), Batcher(2), EvalBatches(), Path.Combine(folder, "resumed"));
            var result = trainer.Run(new Progress(p => { if (p.Step == 5) cts.Cancel(); }), cts.Token);
            Assert.True(result.Cancelled);
        }
        var checkpoints = new CheckpointStore(Path.Combine(folder, "resumed"), 2);
        Assert.EndsWith("step-4", checkpoints.Latest());   // end of epoch 1 (4 steps per epoch) is the newest complete one
        using (var model = TinyLlama.Build(config, weights, ScalarType.Float64))
        {
            var trainer = new SftTrainer(model, Options(), Batcher(2), EvalBatches(), Path.Combine(folder, "resumed"));
            trainer.Run(cancellationToken: TestContext.Current.CancellationToken, resumeFrom: Path.Combine(folder, "resumed"));
        }
        var resumed = File.ReadAllLines(Path.Combine(folder, "resumed", "metrics.jsonl"));
        string[] Losses(IEnumerable<string> lines) => lines.Where(l => l.Contains("\"loss\"")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Select(e => $"{e.GetProperty("step").GetInt32()}:{e.GetProperty("loss").GetDouble():R}").ToArray();
        var expected = Losses(straight);
        var actual = Losses(resumed).GroupBy(l => l.Split(':')[0]).Select(g => g.Last()).ToArray();   // steps 5 ran twice: the resumed one counts
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EachMethodChangesOnlyWhatItShould()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);
        Dictionary<string, double[]> All(torch.nn.Module m) => m.named_parameters().ToDictionary(p => p.name, p => Approx.Values(p.parameter));
        foreach (var method in Enum.GetValues<TrainingMethod>())
        {
            using var model = TinyLlama.Build(config, weights, ScalarType.Float64);
            var options = new TrainingOptions { Method = method, TrainTopLayers = 1, VirtualTokens = 2, Lora = new LoraConfig { R = 2, Dropout = 0 }, Epochs = 1, BatchSize = 4, LearningRate = 1e-2, WarmupRatio = 0 };
            var trainer = new SftTrainer(model, options, Batcher(4), [], Path.Combine(folder, method.ToString()));
            // LoRA's B starts at zero, so record "before" after the adapters exist
            var before = All(model);
            trainer.Run(cancellationToken: TestContext.Current.CancellationToken);
            var after = All(model);
            foreach (var (name, values) in before)
            {
                var changed = !values.SequenceEqual(after[name]);
                var expected = method switch
                {
                    TrainingMethod.Lora => name.Contains(".lora_", StringComparison.Ordinal),
                    TrainingMethod.Full => true,
                    TrainingMethod.Prompt => name == "model.prompt_embeddings",
                    TrainingMethod.Prefix => name.Contains(".prefix_", StringComparison.Ordinal),
                    _ => name.StartsWith("model.layers.1.", StringComparison.Ordinal) || name.StartsWith("model.norm.", StringComparison.Ordinal),
                };
                Assert.True(expected == changed, $"{method}: {name} {(changed ? "changed" : "did not change")}");
            }
        }
    }

    [Fact]
    public void GradualUnfreezingAddsALayerEachEpoch()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);
        bool LayerZeroChanged(int epochs)
        {
            using var model = TinyLlama.Build(config, weights, ScalarType.Float64);
            var before = Approx.Values(model.named_parameters().First(p => p.name == "model.layers.0.mlp.up_proj.weight").parameter);
            var options = new TrainingOptions { Method = TrainingMethod.Freeze, TrainTopLayers = 1, UnfreezeEveryEpochs = 1, Epochs = epochs, BatchSize = 4, LearningRate = 1e-2, WarmupRatio = 0 };
            new SftTrainer(model, options, Batcher(4), [], Path.Combine(folder, $"unfreeze{epochs}")).Run(cancellationToken: TestContext.Current.CancellationToken);
            var after = Approx.Values(model.named_parameters().First(p => p.name == "model.layers.0.mlp.up_proj.weight").parameter);
            return !before.SequenceEqual(after);
        }
        Assert.False(LayerZeroChanged(1));   // epoch 0: only the top layer learns
        Assert.True(LayerZeroChanged(2));    // epoch 1: the layer below joins
    }

    [Fact]
    public void ATinyModelMemorisesEightExamples()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        var options = new TrainingOptions
        {
            Lora = new LoraConfig { R = 16, Alpha = 32, Dropout = 0 }, Epochs = 120, BatchSize = 8, LearningRate = 2e-2, WarmupRatio = 0.05,
            Schedule = ScheduleKind.Constant, Seed = 1,
        };
        var trainer = new SftTrainer(model, options, Batcher(8), [], Path.Combine(folder, "memorise"));
        var result = trainer.Run(cancellationToken: TestContext.Current.CancellationToken);
        // A frozen random head behind a norm bounds the logit margin, so the loss floors above 0; greedy recall is the test.
        Assert.True(result.FinalLoss < 0.5, $"final loss {result.FinalLoss}");
        foreach (var (prompt, answer) in Examples())
        {
            using var session = new GenerationSession(model, new GenerationRequest([prompt], answer.Length, SamplingOptions.Greedy, new HashSet<int> { 2 }));
            while (!session.IsDone) session.Step();
            Assert.Equal(answer[..^1], session.Generated(0).ToArray());   // the answer, ended by its stop token 2
            Assert.Equal(FinishReason.StopToken, session.Reasons[0]);
        }
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
