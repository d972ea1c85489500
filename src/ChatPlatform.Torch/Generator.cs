using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

/// <summary>
/// A private random-number generator on a device: sampling with its own seed is reproducible and unaffected by
/// other users of the default generator (e.g. concurrent requests).
/// </summary>
public sealed class Generator : IDisposable
{
    internal readonly GeneratorHandle Handle;

    public Generator(long seed, Device? device = null)
    {
        var d = device ?? Device.CPU;
        Check(cs_generator_new(seed, (int)d.Type, d.Index, out Handle));
    }

    public void manual_seed(long seed) => Check(cs_generator_seed(Handle, seed));

    /// <summary>The generator's state (a uint8 tensor) for checkpoints.</summary>
    public Tensor get_state() => Tensor.Wrap(cs_generator_get_state(Handle, 0, out var h), h);

    public void set_state(Tensor state) => Check(cs_generator_set_state(Handle, 0, state.Handle));

    public void Dispose() => Handle.Dispose();
}
