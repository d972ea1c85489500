using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models;

/// <summary>Where a model's named weights come from (a safetensors checkpoint, or tensors a test made).</summary>
public interface IWeightSource
{
    bool Contains(string name);

    /// <summary>Loads one weight converted to <paramref name="dtype"/> on <paramref name="device"/>; the caller owns it.</summary>
    Tensor Load(string name, ScalarType dtype, Device device);
}
