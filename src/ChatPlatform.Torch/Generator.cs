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

    public void Dispose() => Handle.Dispose();
}
