using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>
/// One encoder block (BertLayer): attention, then the feed-forward block LayerNorm(x + W₂ gelu(W₁ x)), where gelu is the
/// exact erf form (transformers' "gelu"; the tanh approximation would shift every embedding slightly).
/// </summary>
public sealed class BertLayer : torch.nn.Module
{
    private readonly BertAttention attention;
    private readonly torch.nn.Linear intermediate;
    private readonly torch.nn.Linear output;
    private readonly BertLayerNorm norm;

    internal BertLayer(BertConfig config, BertWeights weights, int index)
    {
        var prefix = $"encoder.layer.{index}";
        attention = register_module("attention", new BertAttention(config, weights, $"{prefix}.attention"));
        intermediate = weights.Linear($"{prefix}.intermediate.dense");
        output = weights.Linear($"{prefix}.output.dense");
        norm = weights.LayerNorm($"{prefix}.output.LayerNorm", config.LayerNormEps);
        register_module("intermediate", new ModuleGroup().Add("dense", intermediate));
        register_module("output", new ModuleGroup().Add("dense", output).Add("LayerNorm", norm));
    }

    /// <param name="x">(B, T, C)</param>
    /// <param name="keyMask">(B, 1, 1, T) bool, true for real tokens.</param>
    public Tensor forward(Tensor x, Tensor keyMask)
    {
        var a = attention.forward(x, keyMask);                                          // (B, T, C)
        var h = torch.nn.functional.gelu(intermediate.forward(a));                      // (B, T, I)
        return norm.forward(output.forward(h) + a);                                     // (B, T, C)
    }
}
