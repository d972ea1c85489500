using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Peft;

/// <summary>
/// A linear layer with a LoRA adapter: y = base(x) + s · B(A(dropout(x))). The base layer is wrapped, never changed
/// or copied; B starts at zero so a fresh adapter is an exact no-op. Parameter names follow PEFT
/// ("base_layer.weight", "lora_A.weight", "lora_B.weight").
/// </summary>
public sealed class LoraLinear : torch.nn.Module<Tensor, Tensor>
{
    private bool merged;

    public LoraLinear(torch.nn.Linear baseLayer, LoraConfig config, Generator? generator = null)
    {
        Base = register_module("base_layer", baseLayer);
        Config = config;
        var w = baseLayer.weight;
        var (outFeatures, inFeatures) = (w.size(0), w.size(1));
        // PEFT: kaiming_uniform_(A, a=√5), i.e. U(−1/√in, 1/√in); B = 0.
        // Adapters stay in float32 even over a bf16/f16 base (as PEFT under autocast keeps trainable weights), so small
        // updates are not rounded away.
        var bound = 1.0 / Math.Sqrt(inFeatures);
        var type = w.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : w.dtype;
        A = register_module("lora_A", new torch.nn.Linear(
            torch.empty([config.R, inFeatures], type, w.device).uniform_(-bound, bound, generator), null));
        B = register_module("lora_B", new torch.nn.Linear(torch.zeros([outFeatures, config.R], type, w.device), null));
    }

    public torch.nn.Linear Base { get; }
    public torch.nn.Linear A { get; }
    public torch.nn.Linear B { get; }
    public LoraConfig Config { get; }
    public bool Merged => merged;

    public override Tensor forward(Tensor x)
    {
        var y = Base.forward(x);
        if (merged) return y;
        var h = training && Config.Dropout > 0 ? torch.nn.functional.dropout(x, Config.Dropout) : x;
        var adapterType = A.weight.dtype;
        if (h.dtype != adapterType) h = h.to(adapterType);
        var delta = B.forward(A.forward(h)) * Config.Scaling;
        return y + (delta.dtype == y.dtype ? delta : delta.to(y.dtype));
    }

    /// <summary>W ← W + s·B·A, so inference costs nothing extra. Refuses an adapter holding NaN or Inf.</summary>
    public void Merge()
    {
        if (merged) return;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var delta = Delta();
        if (!delta.isfinite().all().item<bool>())
            throw new InvalidOperationException("the LoRA adapter holds NaN or Inf values: refusing to merge it into the base weights");
        Base.weight.add_(delta);
        merged = true;
    }

    /// <summary>W ← W − s·B·A: restores the base weights after <see cref="Merge"/>.</summary>
    public void Unmerge()
    {
        if (!merged) return;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        Base.weight.add_(Delta(), -1);
        merged = false;
    }

    /// <summary>s·B·A in the base weight's shape and dtype (computed in float32 for half-precision weights).</summary>
    public Tensor Delta()
    {
        var type = Base.weight.dtype;
        var product = B.weight.to(ScalarType.Float32).matmul(A.weight.to(ScalarType.Float32)) * Config.Scaling;
        return product.to(type);
    }
}
