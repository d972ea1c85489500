using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>
/// Multi-head attention with grouped key/value heads (GQA, Ainslie et al. 2023), rotary positions, optional q/k/v
/// bias (Qwen2) and per-head q/k RMSNorm (Qwen3). The query heads that share a key/value head are folded into the
/// row dimension, so keys and values are never repeated in memory.
/// </summary>
public sealed class LlamaAttention : torch.nn.Module
{
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;

    public LlamaAttention(LlamaConfig config, IWeightSource weights, string prefix, ScalarType dtype, Device device)
    {
        heads = config.NumAttentionHeads;
        kvHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        torch.nn.Linear Projection(string name, bool bias) => new(
            weights.Load($"{prefix}.{name}.weight", dtype, device),
            bias ? weights.Load($"{prefix}.{name}.bias", dtype, device) : null,
            requiresGrad: false);
        var qkvBias = config.QkvBias;
        register_module("q_proj", Projection("q_proj", qkvBias));
        register_module("k_proj", Projection("k_proj", qkvBias));
        register_module("v_proj", Projection("v_proj", qkvBias));
        register_module("o_proj", Projection("o_proj", config.OutputBias));
        if (config.QkNorm)
        {
            register_module("q_norm", new RmsNorm(weights.Load($"{prefix}.q_norm.weight", dtype, device), config.RmsNormEps));
            register_module("k_norm", new RmsNorm(weights.Load($"{prefix}.k_norm.weight", dtype, device), config.RmsNormEps));
        }
    }

    /// <summary>Prefix tuning's learned keys and values (kvHeads, P, headDim), attended to by every query; null without.</summary>
    public Tensor? PrefixKeys { get; private set; }
    public Tensor? PrefixValues { get; private set; }

    /// <summary>
    /// Adds learned key/value prefixes (Li &amp; Liang 2021, "Prefix-Tuning"), taking ownership of the tensors. They
    /// stand for P virtual tokens before every sequence, already in key space (no rotary embedding), as PEFT's
    /// past_key_values are.
    /// </summary>
    public void SetPrefix(Tensor keys, Tensor values)
    {
        if (PrefixKeys is not null) throw new InvalidOperationException("this attention layer already has a prefix");
        PrefixKeys = register_parameter("prefix_keys", keys);
        PrefixValues = register_parameter("prefix_values", values);
    }

    private torch.nn.Module<Tensor, Tensor> Child(string name) => (torch.nn.Module<Tensor, Tensor>)get_module(name)!;

    public int Heads => heads;
    public int KeyValueHeads => kvHeads;

    /// <summary>q, k, v and o for the fused decode path; false when prefix tuning or an unknown wrapper needs the modular path.</summary>
    internal bool TryFusedProjections(Span<FusedLinear> into, out Tensor? qNorm, out Tensor? kNorm)
    {
        qNorm = (get_module("q_norm") as RmsNorm)?.weight;
        kNorm = (get_module("k_norm") as RmsNorm)?.weight;
        return PrefixKeys is null
            && FusedProjection.TryGet(get_module("q_proj"), out into[0]) && FusedProjection.TryGet(get_module("k_proj"), out into[1])
            && FusedProjection.TryGet(get_module("v_proj"), out into[2]) && FusedProjection.TryGet(get_module("o_proj"), out into[3]);
    }

    /// <param name="x">(B, T, C) hidden states.</param>
    /// <param name="cos">rotary tables for the tokens' positions, (B, 1, T, headDim).</param>
    /// <param name="mask">(B, 1, T, S) bool, true where a query may attend to a key; null means all allowed.</param>
    public Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer, long cacheStart)
    {
        var shape = x.shape;   // one native query per layer and token, not one per dimension
        var (B, T) = (shape[0], shape[1]);
        var q = torch.nn.functional.split_heads(Child("q_proj").forward(x), heads);     // (B, nH, T, hd)
        var k = torch.nn.functional.split_heads(Child("k_proj").forward(x), kvHeads);   // (B, nKV, T, hd)
        var v = torch.nn.functional.split_heads(Child("v_proj").forward(x), kvHeads);
        if (get_module("q_norm") is not null)
        {
            // Qwen3 normalises each head's vector (the last dimension), whichever way the heads are laid out.
            q = Child("q_norm").forward(q);
            k = Child("k_norm").forward(k);
        }
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Update(layer, k, v, cacheStart);  // (B, nKV, S, hd)
        if (PrefixKeys is not null)
        {
            var P = PrefixKeys.size(1);
            k = torch.cat([PrefixKeys.unsqueeze(0).expand(B, kvHeads, P, headDim), k], 2);       // (B, nKV, P + S, hd)
            v = torch.cat([PrefixValues!.unsqueeze(0).expand(B, kvHeads, P, headDim), v], 2);
            if (mask is not null)   // every query sees the whole prefix
                mask = torch.cat([torch.ones([mask.size(0), 1, T, P], ScalarType.Bool, x.device), mask], -1);
        }

        var groups = heads / kvHeads;
        if (groups > 1)
        {
            // Query head h = kv·groups + r: rows (r·T + t) of a (B, nKV, groups·T, hd) view share key/value head kv.
            q = q.reshape(B, kvHeads, groups * T, headDim);
            mask = mask?.repeat(1, 1, groups, 1);
        }
        var y = torch.nn.functional.scaled_dot_product_attention(q, k, v, mask);  // (B, nKV, groups·T, hd)
        if (groups > 1) y = y.reshape(B, heads, T, headDim);
        return Child("o_proj").forward(torch.nn.functional.merge_heads(y));                // (B, T, nH·hd) → (B, T, C)
    }
}
