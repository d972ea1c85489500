using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>
/// RMSNorm (Zhang &amp; Sennrich 2019): x / √(mean(x²) + ε) · w, one fused engine call (half-precision inputs are
/// normalised in float32, as transformers' LlamaRMSNorm does).
/// </summary>
public sealed class RmsNorm : torch.nn.Module<Tensor, Tensor>
{
    private readonly double eps;
    public Tensor weight { get; }
    public double Eps => eps;

    public RmsNorm(Tensor weight, double eps)
    {
        this.eps = eps;
        this.weight = register_parameter("weight", weight, requiresGrad: false);
    }

    public override Tensor forward(Tensor x) => torch.nn.functional.rms_norm(x, weight, eps);
}
