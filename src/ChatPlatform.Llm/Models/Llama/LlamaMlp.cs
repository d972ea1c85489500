using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>The SwiGLU feed-forward block (Shazeer 2020): down(silu(gate(x)) · up(x)).</summary>
public sealed class LlamaMlp : torch.nn.Module<Tensor, Tensor>
{
    public LlamaMlp(LlamaConfig config, IWeightSource weights, string prefix, ScalarType dtype, Device device)
    {
        torch.nn.Linear Projection(string name) => new(
            weights.Load($"{prefix}.{name}.weight", dtype, device),
            config.MlpBias ? weights.Load($"{prefix}.{name}.bias", dtype, device) : null,
            requiresGrad: false);
        register_module("gate_proj", Projection("gate_proj"));
        register_module("up_proj", Projection("up_proj"));
        register_module("down_proj", Projection("down_proj"));
    }

    private torch.nn.Module<Tensor, Tensor> Child(string name) => (torch.nn.Module<Tensor, Tensor>)get_module(name)!;

    /// <summary>gate, up and down for the fused decode path.</summary>
    internal bool TryFusedProjections(Span<FusedLinear> into) =>
        FusedProjection.TryGet(get_module("gate_proj"), out into[0]) && FusedProjection.TryGet(get_module("up_proj"), out into[1])
        && FusedProjection.TryGet(get_module("down_proj"), out into[2]);

    public override Tensor forward(Tensor x) =>
        Child("down_proj").forward(Child("gate_proj").forward(x).silu() * Child("up_proj").forward(x));
}
