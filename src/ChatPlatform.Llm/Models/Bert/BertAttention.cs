using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>
/// BertAttention: bidirectional multi-head self-attention (BertSelfAttention) whose output is projected and added back
/// to the input before a LayerNorm (BertSelfOutput; post-LN, as in the original Transformer).
/// </summary>
public sealed class BertAttention : torch.nn.Module
{
    private readonly int heads;
    private readonly torch.nn.Linear query;
    private readonly torch.nn.Linear key;
    private readonly torch.nn.Linear value;
    private readonly torch.nn.Linear output;
    private readonly BertLayerNorm norm;

    internal BertAttention(BertConfig config, BertWeights weights, string prefix)
    {
        heads = config.NumAttentionHeads;
        query = weights.Linear($"{prefix}.self.query");
        key = weights.Linear($"{prefix}.self.key");
        value = weights.Linear($"{prefix}.self.value");
        output = weights.Linear($"{prefix}.output.dense");
        norm = weights.LayerNorm($"{prefix}.output.LayerNorm", config.LayerNormEps);
        // Registered under transformers' module names, so named_parameters() reads like the checkpoint.
        register_module("self", new ModuleGroup().Add("query", query).Add("key", key).Add("value", value));
        register_module("output", new ModuleGroup().Add("dense", output).Add("LayerNorm", norm));
    }

    /// <param name="x">(B, T, C)</param>
    /// <param name="keyMask">(B, 1, 1, T) bool, true for real tokens: no query attends to padding.</param>
    public Tensor forward(Tensor x, Tensor keyMask)
    {
        var q = torch.nn.functional.split_heads(query.forward(x), heads);   // (B, nH, T, hd)
        var k = torch.nn.functional.split_heads(key.forward(x), heads);
        var v = torch.nn.functional.split_heads(value.forward(x), heads);
        var y = torch.nn.functional.scaled_dot_product_attention(q, k, v, keyMask);   // softmax(q kᵀ/√hd) v, (B, nH, T, hd)
        return norm.forward(output.forward(torch.nn.functional.merge_heads(y)) + x);  // (B, T, C)
    }
}
