using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.Tests.Models;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Training.Tests.Trainer;

/// <summary>
/// bfloat16 autocast in training, exercised on the CPU (CUDA takes the same code with its own dispatch key):
/// products in bfloat16, float32 adapters and gradients, and checkpointing that replays autocast.
/// </summary>
public sealed class MixedPrecisionTests
{
    private static SftBatch Batch()
    {
        var random = new Random(5);
        var examples = Enumerable.Range(0, 3).Select(i =>
        {
            int[] prompt = [1, 10 + i, 20 + random.Next(10)];
            var answer = Enumerable.Range(0, 4).Select(_ => 32 + random.Next(30)).Append(2).ToArray();
            return new TokenizedExample(prompt.Concat(answer).ToArray(),
                Enumerable.Repeat(SftTokenizer.IgnoreIndex, prompt.Length).Concat(answer).ToArray(), false);
        }).ToList();
        return new SftBatcher(examples, new SftBatcherOptions { BatchSize = 3, PadTokenId = 0, Shuffle = false }).Batches(0).First();
    }

    [Fact]
    public void AutocastDtypeFollowsTheOptionAndDevice()
    {
        Assert.Null(new TrainingOptions().AutocastDtype(Device.CPU));
        Assert.Equal(ScalarType.BFloat16, new TrainingOptions().AutocastDtype(new Device(DeviceType.CUDA, 0)));
        Assert.Null(new TrainingOptions { MixedPrecision = MixedPrecision.Off }.AutocastDtype(new Device(DeviceType.CUDA, 0)));
        Assert.Equal(ScalarType.BFloat16, new TrainingOptions { MixedPrecision = MixedPrecision.BFloat16 }.AutocastDtype(Device.CPU));
    }

    [Fact]
    public void LoraGradientsUnderBfloat16AutocastAreFloat32AndCloseToFullPrecision()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 8);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        // Seeded, so the comparison is the same on every run (bfloat16 error depends on the values).
        using var seed = new Generator(2);
        var adapters = LoraAdapter.Apply(model, new LoraConfig { R = 4, Dropout = 0 }, seed);
        using (torch.no_grad())
            foreach (var a in adapters.Values) a.B.weight.normal_(0, 0.1, seed);
        model.train();
        var batch = Batch();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        using var scope = torch.NewDisposeScope();

        (double loss, Dictionary<string, Tensor> grads) Run(ScalarType? autocast, bool checkpointed)
        {
            double loss;
            if (checkpointed) loss = CausalLmLoss.CheckpointedBackward(model, batch, 1.0, chunkTokens: 4, autocast: autocast);
            else
            {
                var sum = CausalLmLoss.Sum(model, batch, autocast);
                sum.backward();
                loss = sum.ToDouble();
            }
            var grads = trainable.ToDictionary(p => p.name, p => p.parameter.grad!.clone());
            foreach (var p in trainable) p.parameter.grad = null;
            return (loss, grads);
        }

        var (fullLoss, full) = Run(null, checkpointed: false);
        var (mixedLoss, mixed) = Run(ScalarType.BFloat16, checkpointed: false);
        var (checkpointedLoss, checkpointed) = Run(ScalarType.BFloat16, checkpointed: true);

        // bfloat16 products change the loss a little (so autocast really ran), not much.
        Assert.NotEqual(fullLoss, mixedLoss);
        Assert.True(Math.Abs(fullLoss - mixedLoss) < 0.02 * Math.Abs(fullLoss), $"loss {fullLoss} vs {mixedLoss} under autocast");
        // bfloat16 keeps 8 mantissa bits (~0.4% per product); through two layers and softmax, small gradients move more.
        foreach (var (name, g) in full)
        {
            Assert.Equal(ScalarType.Float32, mixed[name].dtype);
            var relative = ((mixed[name] - g).norm() / g.norm()).item<float>();
            Assert.True(relative < 0.15, $"{name}: relative gradient difference {relative} under autocast");
        }
        var all = torch.cat(full.Values.Select(g => g.flatten()).ToList());
        var allMixed = torch.cat(full.Keys.Select(n => mixed[n].flatten()).ToList());
        var overall = ((allMixed - all).norm() / all.norm()).item<float>();
        Assert.True(overall < 0.05, $"relative difference of all gradients {overall} under autocast");
        // Checkpointing recomputes each layer under the same autocast: the same loss and gradients as the plain pass.
        Assert.Equal(mixedLoss, checkpointedLoss, 3);
        foreach (var (name, g) in mixed)
        {
            var relative = ((checkpointed[name] - g).norm() / g.norm()).item<float>();
            Assert.True(relative < 1e-3, $"{name}: checkpointed vs plain under autocast differ by {relative}");
        }
    }
}
