using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models;
using ChatPlatform.Torch;

namespace ChatPlatform.Training.Pretraining;

/// <summary>
/// Fresh weights for a model trained from scratch, as transformers' LlamaPreTrainedModel initialises them:
/// N(0, 0.02²) for embeddings and projections, ones for RMSNorm scales.
/// </summary>
public sealed class RandomInitWeights(LlamaConfig config, Generator generator) : IWeightSource
{
    private const double Std = 0.02;

    public bool Contains(string name) => Shape(name) is not null;

    public Tensor Load(string name, ScalarType dtype, Device device)
    {
        var shape = Shape(name) ?? throw new KeyNotFoundException($"no weight '{name}' in a {config.NumHiddenLayers}-layer Llama");
        if (name.EndsWith("norm.weight", StringComparison.Ordinal)) return torch.ones(shape, dtype, device);
        return torch.empty(shape, dtype, device).normal_(0, Std, generator);
    }

    private long[]? Shape(string name)
    {
        var c = config;
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        if (name == "model.embed_tokens.weight" || name == "lm_head.weight") return [c.VocabSize, c.HiddenSize];
        if (name == "model.norm.weight") return [c.HiddenSize];
        var parts = name.Split('.');
        if (parts.Length < 5 || parts[0] != "model" || parts[1] != "layers") return null;
        return string.Join('.', parts[3..]) switch
        {
            "self_attn.q_proj.weight" => [q, c.HiddenSize],
            "self_attn.k_proj.weight" or "self_attn.v_proj.weight" => [kv, c.HiddenSize],
            "self_attn.o_proj.weight" => [c.HiddenSize, q],
            "mlp.gate_proj.weight" or "mlp.up_proj.weight" => [c.IntermediateSize, c.HiddenSize],
            "mlp.down_proj.weight" => [c.HiddenSize, c.IntermediateSize],
            "input_layernorm.weight" or "post_attention_layernorm.weight" => [c.HiddenSize],
            _ => null,
        };
    }
}
