using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Llm.Tests.Models;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Peft;

public sealed class VirtualTokenAdapterTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    private static readonly long[] Tokens = [1, 7, 19, 33, 2, 60, 4, 9];

    private static Tensor Ids(long[] t) => torch.tensor(t, [1, t.Length]);

    private static Tensor Positions(long start, long count) => torch.arange(start, start + count, 1).unsqueeze(0);

    private static void Apply(LlamaForCausalLM model, string kind, int tokens = 3)
    {
        using var g = new Generator(5);
        if (kind == VirtualTokenAdapter.PromptTuning) VirtualTokenAdapter.ApplyPromptTuning(model, tokens, g);
        else VirtualTokenAdapter.ApplyPrefixTuning(model, tokens, g);
    }

    [Theory]
    [InlineData(VirtualTokenAdapter.PromptTuning)]
    [InlineData(VirtualTokenAdapter.PrefixTuning)]
    public void VirtualTokensChangeOutputsAndCachedDecodeStillEqualsRecompute(string kind)
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 3);
        using var model = TinyLlama.Build(config, weights);
        var plain = Approx.Values(model.forward(Ids(Tokens), Positions(0, Tokens.Length)));
        Apply(model, kind);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(kind == VirtualTokenAdapter.PromptTuning ? ["model.prompt_embeddings"]
            : Enumerable.Range(0, 2).SelectMany(l => new[] { $"model.layers.{l}.self_attn.prefix_keys", $"model.layers.{l}.self_attn.prefix_values" }).ToList(),
            trainable);
        var full = model.forward(Ids(Tokens), Positions(0, Tokens.Length));          // outputs cover the real tokens only
        Assert.Equal(new long[] { 1, Tokens.Length, config.VocabSize }, full.shape);
        Assert.True(Approx.Values(full).Zip(plain).Max(p => Math.Abs(p.First - p.Second)) > 1e-4, "the virtual tokens changed nothing");

        using var cache = model.NewCache(1, 16);
        var first = model.forward(Ids(Tokens[..5]), Positions(0, 5), cache, 0);
        Approx.Equal(Approx.Values(full.narrow(1, 0, 5)), first, 1e-9);
        for (var t = 5; t < Tokens.Length; t++)
            Approx.Equal(Approx.Values(full.narrow(1, t, 1)), model.forward(Ids(Tokens[t..(t + 1)]), Positions(t, 1), cache, t), 1e-9);

        // a padded batch through a generation session gives what each prompt gives alone
        int[] Generate(IReadOnlyList<int[]> prompts, int index)
        {
            using var session = new GenerationSession(model, new GenerationRequest(prompts, 5, SamplingOptions.Greedy, new HashSet<int>()));
            while (!session.IsDone) session.Step();
            return session.Generated(index).ToArray();
        }
        int[][] batch = [[1, 5], [1, 20, 21, 22, 23]];
        Assert.Equal(Generate([batch[0]], 0), Generate(batch, 0));
        Assert.Equal(Generate([batch[1]], 0), Generate(batch, 1));
    }

    [Theory]
    [InlineData(VirtualTokenAdapter.PromptTuning)]
    [InlineData(VirtualTokenAdapter.PrefixTuning)]
    public void SavedAdapterLoadsWithTheSameOutputs(string kind)
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 3);
        using var model = TinyLlama.Build(config, weights);
        Apply(model, kind, tokens: 4);
        var expected = Approx.Values(model.forward(Ids(Tokens), Positions(0, Tokens.Length)));
        using var folder = new TempFolder();
        VirtualTokenAdapter.Save(folder.Path, model, "tiny");
        using (var file = SafeTensorsFile.Open(folder.File(LoraAdapter.WeightsFile)))
        {
            var perToken = kind == VirtualTokenAdapter.PromptTuning ? config.HiddenSize : config.NumHiddenLayers * 2 * config.NumKeyValueHeads * config.HeadDim;
            Assert.Equal(new long[] { 4, perToken }, file.Info("prompt_embeddings").ShapeArray());
        }
        using var fresh = TinyLlama.Build(config, weights);
        Assert.Equal(kind, PeftAdapter.Load(fresh, folder.Path));
        Approx.Equal(expected, fresh.forward(Ids(Tokens), Positions(0, Tokens.Length)), 1e-6);
    }
}
