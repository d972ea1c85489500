using ChatPlatform.Llm.Models;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Models;

/// <summary>Weights held in memory, for models the tests make themselves.</summary>
internal sealed class InMemoryWeights : IWeightSource, IDisposable
{
    public Dictionary<string, Tensor> Tensors { get; } = new();

    public bool Contains(string name) => Tensors.ContainsKey(name);

    public Tensor Load(string name, ScalarType dtype, Device device) =>
        Tensors.TryGetValue(name, out var t) ? t.to(dtype, device).clone().LeaveDisposeScope()
            : throw new KeyNotFoundException($"weight '{name}' is missing");

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}

/// <summary>Tiny random Llama-family models (hidden 32, 2 layers) that run in milliseconds.</summary>
internal static class TinyLlama
{
    /// <param name="headDim">8 by default; the fused CPU kernel has a path of its own for 8, one for other multiples of 8, and a plain one.</param>
    public static LlamaConfig Config(LlamaModelType modelType = LlamaModelType.Llama, bool tie = false, int headDim = 8) => new(
        modelType, vocabSize: 64, hiddenSize: 32, intermediateSize: 48, numHiddenLayers: 2, numAttentionHeads: 4,
        numKeyValueHeads: 2, headDim: headDim, rmsNormEps: 1e-6, maxPositionEmbeddings: 64, tieWordEmbeddings: tie);

    public static InMemoryWeights RandomWeights(LlamaConfig c, long seed)
    {
        using var g = new Generator(seed);
        var w = new InMemoryWeights();
        void Add(string name, params long[] shape) =>
            w.Tensors[name] = (torch.randn(shape, ScalarType.Float64, generator: g) * 0.2).LeaveDisposeScope();
        void AddNorm(string name, long size) =>
            w.Tensors[name] = (1.0 + torch.randn([size], ScalarType.Float64, generator: g) * 0.1).LeaveDisposeScope();
        Add("model.embed_tokens.weight", c.VocabSize, c.HiddenSize);
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}";
            Add($"{p}.self_attn.q_proj.weight", c.NumAttentionHeads * c.HeadDim, c.HiddenSize);
            Add($"{p}.self_attn.k_proj.weight", c.NumKeyValueHeads * c.HeadDim, c.HiddenSize);
            Add($"{p}.self_attn.v_proj.weight", c.NumKeyValueHeads * c.HeadDim, c.HiddenSize);
            Add($"{p}.self_attn.o_proj.weight", c.HiddenSize, c.NumAttentionHeads * c.HeadDim);
            if (c.QkvBias)
            {
                Add($"{p}.self_attn.q_proj.bias", c.NumAttentionHeads * c.HeadDim);
                Add($"{p}.self_attn.k_proj.bias", c.NumKeyValueHeads * c.HeadDim);
                Add($"{p}.self_attn.v_proj.bias", c.NumKeyValueHeads * c.HeadDim);
            }
            if (c.QkNorm)
            {
                AddNorm($"{p}.self_attn.q_norm.weight", c.HeadDim);
                AddNorm($"{p}.self_attn.k_norm.weight", c.HeadDim);
            }
            Add($"{p}.mlp.gate_proj.weight", c.IntermediateSize, c.HiddenSize);
            Add($"{p}.mlp.up_proj.weight", c.IntermediateSize, c.HiddenSize);
            Add($"{p}.mlp.down_proj.weight", c.HiddenSize, c.IntermediateSize);
            AddNorm($"{p}.input_layernorm.weight", c.HiddenSize);
            AddNorm($"{p}.post_attention_layernorm.weight", c.HiddenSize);
        }
        AddNorm("model.norm.weight", c.HiddenSize);
        if (!c.TieWordEmbeddings) Add("lm_head.weight", c.VocabSize, c.HiddenSize);
        return w;
    }

    public static LlamaForCausalLM Build(LlamaConfig c, IWeightSource w, ScalarType dtype = ScalarType.Float64) =>
        new(c, w, dtype, Device.CPU);
}
