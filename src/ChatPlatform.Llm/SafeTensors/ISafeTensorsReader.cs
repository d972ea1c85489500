using ChatPlatform.Llm.Models;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>Named tensors stored in safetensors form: one file (<see cref="SafeTensorsFile"/>) or a sharded checkpoint.</summary>
public interface ISafeTensorsReader : IWeightSource, IDisposable
{
    /// <summary>The tensor names, in file order (for a sharded checkpoint: shard by shard).</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The tensor's dtype, shape and byte range; <see cref="KeyNotFoundException"/> for an unknown name.</summary>
    TensorInfo Info(string name);

    /// <summary>
    /// Creates the tensor from the file: one copy from the mapped file into a new tensor on <paramref name="device"/>,
    /// converted to <paramref name="dtype"/> in the same pass. Loading a model tensor by tensor never holds the weights
    /// twice. The result belongs to the current <see cref="DisposeScope"/>, if any.
    /// </summary>
    Tensor Load(string name, ScalarType? dtype = null, Device? device = null);

    Tensor IWeightSource.Load(string name, ScalarType dtype, Device device) => Load(name, (ScalarType?)dtype, (Device?)device);
}
