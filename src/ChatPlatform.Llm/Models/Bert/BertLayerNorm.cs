using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>LayerNorm over the last dimension with loaded scale and shift: (x − mean) / √(var + ε) · w + b.</summary>
public sealed class BertLayerNorm : torch.nn.Module<Tensor, Tensor>
{
    private readonly long[] normalizedShape;
    private readonly double eps;

    public BertLayerNorm(Tensor weight, Tensor bias, double eps)
    {
        this.eps = eps;
        normalizedShape = [weight.size(0)];
        this.weight = register_parameter("weight", weight, requiresGrad: false);
        this.bias = register_parameter("bias", bias, requiresGrad: false);
    }

    public Tensor weight { get; }
    public Tensor bias { get; }

    public override Tensor forward(Tensor x) => torch.nn.functional.layer_norm(x, normalizedShape, weight, bias, eps);
}
