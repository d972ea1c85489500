using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_bench.h.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_bench_matmul(long n, int iterations, int deviceType, out double seconds);
    [LibraryImport(Lib)] internal static partial int cs_bench_tiny_add(int rounds, int perRound, Span<double> nsPerOp);
}
