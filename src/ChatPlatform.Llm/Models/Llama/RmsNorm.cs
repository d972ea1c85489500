using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>
/// RMSNorm (Zhang &amp; Sennrich 2019): x / √(mean(x²) + ε) · w. Half-precision inputs are normalised in float32,
/// as transformers' LlamaRMSNorm does.
/// </summary>
public sealed class RmsNorm : torch.nn.Module<Tensor, Tensor>
{
    private readonly double eps;
    public Tensor weight { get; }

    public RmsNorm(Tensor weight, double eps)
    {
        this.eps = eps;
        this.weight = register_parameter("weight", weight, requiresGrad: false);
    }

    public override Tensor forward(Tensor x)
    {
        var type = x.dtype;
        var half = type is ScalarType.Float16 or ScalarType.BFloat16;
        var wide = half ? x.to(ScalarType.Float32) : x;
        var normed = wide * (wide.square().mean(-1, keepdim: true) + eps).rsqrt();
        return weight * (half ? normed.to(type) : normed);
    }
}
