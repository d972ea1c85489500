using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_random.h.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_manual_seed(long seed);
    [LibraryImport(Lib)] internal static partial int cs_generator_new(long seed, int deviceType, int deviceIndex, out GeneratorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_generator_free(IntPtr g);
    [LibraryImport(Lib)] internal static partial int cs_generator_seed(GeneratorHandle g, long seed);
    [LibraryImport(Lib)] internal static partial int cs_generator_get_state(GeneratorHandle g, int deviceType, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_generator_set_state(GeneratorHandle g, int deviceType, TensorHandle state);
    [LibraryImport(Lib)] internal static partial int cs_randn(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, GeneratorHandle g, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_rand(ReadOnlySpan<long> shape, int ndim, int dtype, int deviceType, int deviceIndex, GeneratorHandle g, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_multinomial(TensorHandle probs, long numSamples, int replacement, GeneratorHandle g, out TensorHandle @out);
    [LibraryImport(Lib)] internal static partial int cs_normal_(TensorHandle self, double mean, double std, GeneratorHandle g);
    [LibraryImport(Lib)] internal static partial int cs_uniform_(TensorHandle self, double from, double to, GeneratorHandle g);
}
