using ChatPlatform.Llm.Peft;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>What the fused decode path needs of a projection module: its weights, and an unmerged LoRA adapter's.</summary>
internal static class FusedProjection
{
    public static bool TryGet(torch.nn.Module? module, out FusedLinear projection)
    {
        switch (module)
        {
            case torch.nn.Linear linear:
                projection = new FusedLinear(linear.weight, linear.bias);
                return true;
            case LoraLinear { Merged: true } lora:
                projection = new FusedLinear(lora.Base.weight, lora.Base.bias);
                return true;
            case LoraLinear lora when lora.A.weight.dtype == ScalarType.Float32:
                projection = new FusedLinear(lora.Base.weight, lora.Base.bias, lora.A.weight, lora.B.weight, lora.Config.Scaling);
                return true;
            default:
                projection = default;
                return false;
        }
    }
}
