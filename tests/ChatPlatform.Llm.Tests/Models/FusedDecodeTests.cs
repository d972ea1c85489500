using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Models;

/// <summary>
/// The fused float32 CPU decode path (one engine call per layer) against the modular path it replaces, which the
/// reference-checkpoint tests pin to the original implementation.
/// </summary>
public sealed class FusedDecodeTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    /// <summary>Prefills both caches, then decodes the same tokens fused and modular; returns the max |Δlogit| and op counts.</summary>
    private static (double maxDiff, long fusedOps, long modularOps) Compare(LlamaForCausalLM model, long[][] prompts,
        Tensor? keyPadding, int steps)
    {
        using var _ = torch.no_grad();
        var B = prompts.Length;
        var T = prompts[0].Length;
        var ids = torch.tensor(prompts.SelectMany(p => p).ToArray(), [B, T]);
        var positions = torch.arange(0, T, 1).unsqueeze(0).expand(B, T).contiguous();
        using var fusedCache = model.NewCache(B, T + steps);
        using var modularCache = model.NewCache(B, T + steps);
        model.forward(ids, positions, fusedCache, 0, keyPadding);
        model.forward(ids, positions, modularCache, 0, keyPadding);
        double maxDiff = 0;
        long fusedOps = 0, modularOps = 0;
        for (var t = 0; t < steps; t++)
        {
            var next = torch.tensor(Enumerable.Range(0, B).Select(b => (long)(3 + 7 * b + 5 * t) % 64).ToArray(), [B, 1]);
            var pos = torch.full([B, 1], T + t, ScalarType.Int64);
            var padding = keyPadding is null ? null : torch.cat([keyPadding, torch.ones([B, t + 1], ScalarType.Bool)], 1);
            model.Model.FusedDecoding = true;
            OpStatistics.Reset();
            var fused = model.forward(next, pos, fusedCache, T + t, padding);
            fusedOps += OpStatistics.TensorsCreated;
            model.Model.FusedDecoding = false;
            OpStatistics.Reset();
            var modular = model.forward(next, pos, modularCache, T + t, padding);
            modularOps += OpStatistics.TensorsCreated;
            maxDiff = Math.Max(maxDiff, (fused - modular).abs().max().item<float>());
        }
        model.Model.FusedDecoding = true;
        return (maxDiff, fusedOps, modularOps);
    }

    [Theory]
    [InlineData(LlamaModelType.Llama, 8)]
    [InlineData(LlamaModelType.Qwen2, 8)]   // q/k/v biases
    [InlineData(LlamaModelType.Qwen3, 8)]   // per-head q/k RMSNorm
    [InlineData(LlamaModelType.Llama, 16)]  // head sizes of the general attention kernel (real models: 64, 128)
    [InlineData(LlamaModelType.Qwen3, 64)]
    [InlineData(LlamaModelType.Llama, 12)]  // not a multiple of 8
    public void FusedDecodeEqualsTheModularPath(LlamaModelType modelType, int headDim)
    {
        var config = TinyLlama.Config(modelType, headDim: headDim);
        using var weights = TinyLlama.RandomWeights(config, seed: 23);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        var (diff, fusedOps, modularOps) = Compare(model, [[1, 17, 42, 5, 9]], null, steps: 6);
        Assert.True(diff < 1e-5, $"max |fused − modular| logit = {diff}");
        Assert.True(fusedOps * 2 < modularOps, $"the fused path was not taken: {fusedOps} vs {modularOps} ops");
    }

    /// <summary>
    /// A short prompt of one sequence is prefilled by the fused kernel as consecutive rows attending causally: every
    /// position's logits match the modular path, in far fewer engine calls; and prefilled at an offset behind a padding
    /// mask, over another prompt's keys (as a batch prefills a newcomer into a used row), it gives the same logits.
    /// </summary>
    [Theory]
    [InlineData(LlamaModelType.Llama, 8)]
    [InlineData(LlamaModelType.Qwen2, 8)]
    [InlineData(LlamaModelType.Qwen3, 8)]
    [InlineData(LlamaModelType.Llama, 64)]
    [InlineData(LlamaModelType.Qwen2, 12)]
    public void FusedPrefillOfOneSequenceEqualsTheModularPath(LlamaModelType modelType, int headDim)
    {
        var config = TinyLlama.Config(modelType, headDim: headDim);
        using var weights = TinyLlama.RandomWeights(config, seed: 31);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        using var _ = torch.no_grad();
        long[] prompt = [1, 17, 42, 5, 9, 33, 2, 60, 11, 8, 19];
        var T = prompt.Length;
        var ids = torch.tensor(prompt, [1, T]);
        var positions = torch.arange(0, T, 1).unsqueeze(0);
        using var fusedCache = model.NewCache(1, T);
        using var modularCache = model.NewCache(1, T);
        OpStatistics.Reset();
        var fused = model.forward(ids, positions, fusedCache, 0);
        var fusedOps = OpStatistics.TensorsCreated;
        model.Model.FusedDecoding = false;
        OpStatistics.Reset();
        var modular = model.forward(ids, positions, modularCache, 0);
        var modularOps = OpStatistics.TensorsCreated;
        model.Model.FusedDecoding = true;
        Assert.Equal([1, T, config.VocabSize], fused.shape);
        var diff = (fused - modular).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"max |fused − modular| logit = {diff}");
        Assert.True(fusedOps * 3 < modularOps, $"the fused path was not taken: {fusedOps} vs {modularOps} ops");

        const int offset = 7;
        using var used = model.NewCache(1, offset + T);
        model.forward(torch.tensor(new long[] { 1, 3, 5, 7, 9, 11, 13 }, [1, offset]), torch.arange(0, offset, 1).unsqueeze(0), used, 0);
        var real = Enumerable.Range(0, offset + T).Select(c => c >= offset).ToArray();
        var shifted = model.forward(ids, positions, used, offset, torch.tensor(real, [1, offset + T]));
        var shiftDiff = (shifted - modular).abs().max().item<float>();
        Assert.True(shiftDiff < 1e-5, $"max |prefilled at an offset − modular| logit = {shiftDiff}");
    }

    [Fact]
    public void PaddedBatchMatchesTheModularPath()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 29);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        // Left padding in rows 0 and 2: their padding keys must stay invisible to the fused attention.
        var padding = torch.tensor(new[] { false, false, true, true, true, true, true, true, true, true, false, true, true, true, true }, [3, 5]);
        var (diff, _, _) = Compare(model, [[0, 0, 9, 12, 4], [1, 2, 3, 4, 5], [0, 6, 7, 8, 9]], padding, steps: 5);
        Assert.True(diff < 1e-5, $"max |fused − modular| logit = {diff}");
    }

    [Fact]
    public void UnmergedLoraAdapterMatchesTheModularPath()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 31);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        using var g = new Generator(3);
        var adapters = LoraAdapter.Apply(model, new LoraConfig { R = 4, Alpha = 8 }, g);
        using (torch.no_grad())
            foreach (var lora in adapters.Values) lora.B.weight.copy_(torch.randn(lora.B.weight.shape, generator: g) * 0.1);
        var (diff, fusedOps, modularOps) = Compare(model, [[1, 17, 42, 5, 9]], null, steps: 4);
        Assert.True(diff < 1e-5, $"max |fused − modular| logit = {diff}");
        Assert.True(fusedOps * 2 < modularOps, $"the fused path was not taken: {fusedOps} vs {modularOps} ops");
    }

    [Fact]
    public void OtherDtypesKeepTheModularPath()
    {
        Assert.False(FusedDecode.Supports(ScalarType.Float64, Device.CPU));
        Assert.False(FusedDecode.Supports(ScalarType.BFloat16, Device.CPU));
        Assert.False(FusedDecode.Supports(ScalarType.Float32, new Device(DeviceType.CUDA, 0)));
    }
}
