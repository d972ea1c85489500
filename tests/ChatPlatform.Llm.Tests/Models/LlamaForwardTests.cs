using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Models;

public sealed class LlamaForwardTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    private static Tensor Ids(params long[] ids) => torch.tensor(ids, [1, ids.Length]);

    private static Tensor Positions(long start, long count) => torch.arange(start, start + count, 1).unsqueeze(0);

    [Theory]
    [InlineData(LlamaModelType.Llama)]
    [InlineData(LlamaModelType.Qwen2)]
    [InlineData(LlamaModelType.Qwen3)]
    public void CachedDecodeEqualsFullRecompute(LlamaModelType modelType)
    {
        var config = TinyLlama.Config(modelType);
        using var weights = TinyLlama.RandomWeights(config, seed: 11);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        long[] tokens = [1, 17, 42, 5, 9, 33, 60, 2, 8, 8, 13];
        var full = model.forward(Ids(tokens), Positions(0, tokens.Length));       // (1, 11, V)

        using var cache = model.NewCache(1, 32);
        const int prefill = 6;
        var first = model.forward(Ids(tokens[..prefill]), Positions(0, prefill), cache, 0);
        Approx.Equal(Approx.Values(full.narrow(1, 0, prefill)), first, 1e-4);
        for (var t = prefill; t < tokens.Length; t++)
        {
            var step = model.forward(Ids(tokens[t]), Positions(t, 1), cache, t);
            Approx.Equal(Approx.Values(full.narrow(1, t, 1)), step, 1e-4);
        }
    }

    [Fact]
    public void LastOnlyProjectsTheLastPosition()
    {
        var config = TinyLlama.Config(tie: true);
        using var weights = TinyLlama.RandomWeights(config, seed: 3);
        using var model = TinyLlama.Build(config, weights);
        var full = model.forward(Ids(1, 2, 3, 4), Positions(0, 4));
        var last = model.forward(Ids(1, 2, 3, 4), Positions(0, 4), lastOnly: true);
        Assert.Equal(new long[] { 1, 1, 64 }, last.shape);
        Approx.Equal(Approx.Values(full.narrow(1, 3, 1)), last, 1e-12);
    }

    [Fact]
    public void PaddedBatchGeneratesWhatEachPromptGeneratesAlone()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 5);
        using var model = TinyLlama.Build(config, weights);
        int[][] prompts = [[1, 5, 9], [1, 20, 21, 22, 23, 24, 25], [1, 40, 41, 42, 43]];
        int[] Generate(IReadOnlyList<int[]> batch, int index)
        {
            using var session = new GenerationSession(model, new GenerationRequest(batch, 8, SamplingOptions.Greedy, new HashSet<int>()));
            while (!session.IsDone) session.Step();
            return session.Generated(index).ToArray();
        }
        for (var i = 0; i < prompts.Length; i++)
            Assert.Equal(Generate([prompts[i]], 0), Generate(prompts, i));
    }

    [Fact]
    public void Qwen2BiasesAreApplied()
    {
        var config = TinyLlama.Config(LlamaModelType.Qwen2);
        using var weights = TinyLlama.RandomWeights(config, seed: 8);
        using var withBias = TinyLlama.Build(config, weights);
        foreach (var name in weights.Tensors.Keys.Where(n => n.EndsWith(".bias", StringComparison.Ordinal)).ToList())
            weights.Tensors[name].zero_();
        using var zeroBias = TinyLlama.Build(config, weights);
        using var noBiasConfig = TinyLlama.Build(TinyLlama.Config(LlamaModelType.Llama), weights);
        var input = Ids(1, 9, 30);
        var a = Approx.Values(withBias.forward(input, Positions(0, 3)));
        var b = Approx.Values(zeroBias.forward(input, Positions(0, 3)));
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "q/k/v biases changed nothing");
        Approx.Equal(b, noBiasConfig.forward(input, Positions(0, 3)), 1e-12);   // zero bias == no bias
    }

    [Fact]
    public void Qwen3QueryKeyNormsAreApplied()
    {
        var config = TinyLlama.Config(LlamaModelType.Qwen3);
        using var weights = TinyLlama.RandomWeights(config, seed: 9);
        using var normed = TinyLlama.Build(config, weights);
        foreach (var name in weights.Tensors.Keys.Where(n => n.Contains("_norm.weight") && n.Contains("self_attn")).ToList())
            weights.Tensors[name].mul_(3.0);
        using var scaled = TinyLlama.Build(config, weights);
        var input = Ids(1, 9, 30, 31);
        var a = Approx.Values(normed.forward(input, Positions(0, 4)));
        var b = Approx.Values(scaled.forward(input, Positions(0, 4)));
        Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "q/k norm weights changed nothing");
    }

    [Fact]
    public void PromptPlusBudgetBeyondTheContextIsAClearError()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);
        using var model = TinyLlama.Build(config, weights);
        var ex = Assert.Throws<ContextLengthException>(() =>
            new GenerationSession(model, new GenerationRequest([new int[60]], 10, SamplingOptions.Greedy, new HashSet<int>())));
        Assert.Contains("exceeds the model's context of 64", ex.Message);
    }
}
