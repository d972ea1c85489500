using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>Pre-norm residual block: x + attn(norm(x)), then + mlp(norm(·)).</summary>
public sealed class LlamaDecoderLayer : torch.nn.Module
{
    private readonly int index;
    private readonly LlamaAttention selfAttention;
    private readonly LlamaMlp mlp;
    private readonly RmsNorm inputNorm;
    private readonly RmsNorm postAttentionNorm;

    public LlamaDecoderLayer(LlamaConfig config, IWeightSource weights, int index, ScalarType dtype, Device device)
    {
        this.index = index;
        var prefix = $"model.layers.{index}";
        selfAttention = register_module("self_attn", new LlamaAttention(config, weights, $"{prefix}.self_attn", dtype, device));
        mlp = register_module("mlp", new LlamaMlp(config, weights, $"{prefix}.mlp", dtype, device));
        inputNorm = register_module("input_layernorm",
            new RmsNorm(weights.Load($"{prefix}.input_layernorm.weight", dtype, device), config.RmsNormEps));
        postAttentionNorm = register_module("post_attention_layernorm",
            new RmsNorm(weights.Load($"{prefix}.post_attention_layernorm.weight", dtype, device), config.RmsNormEps));
    }

    /// <summary>
    /// Decodes one token per sequence in one engine call, updating <paramref name="hidden"/> (B, C) in place. False
    /// (nothing done) when this layer needs the modular path: not float32 on the CPU, prefix tuning, or a projection
    /// wrapped by something other than LoRA.
    /// </summary>
    internal bool TryDecodeFused(Tensor hidden, Tensor cos, Tensor sin, KvCache cache, long slot, Tensor? keyPadding, bool oneSequence)
    {
        Span<FusedLinear> projections = new FusedLinear[7];
        if (!selfAttention.TryFusedProjections(projections[..4], out var qNorm, out var kNorm)
            || !mlp.TryFusedProjections(projections[4..]))
            return false;
        var (keys, values) = cache.Layer(index);
        FusedDecode.LlamaLayer(hidden, inputNorm.weight, postAttentionNorm.weight, inputNorm.Eps, projections, qNorm, kNorm,
            cos, sin, keys, values, slot, keyPadding, selfAttention.Heads, selfAttention.KeyValueHeads, oneSequence);
        return true;
    }

    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, long cacheStart)
    {
        var h = x + selfAttention.forward(inputNorm.forward(x), cos, sin, mask, cache, index, cacheStart);
        return h + mlp.forward(postAttentionNorm.forward(h));
    }
}
