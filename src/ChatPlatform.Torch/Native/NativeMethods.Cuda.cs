using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_cuda.h.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_cuda_is_available(out int @out);
    [LibraryImport(Lib)] internal static partial int cs_cuda_device_count(out int @out);
    [LibraryImport(Lib)] internal static partial int cs_cuda_synchronize(int deviceIndex);
    [LibraryImport(Lib)] internal static partial int cs_cuda_memory_stats(int deviceIndex, out long allocated, out long reserved, out long peakAllocated, out long peakReserved);
    [LibraryImport(Lib)] internal static partial int cs_cuda_reset_peak_memory_stats(int deviceIndex);
    [LibraryImport(Lib)] internal static partial int cs_cuda_empty_cache();
}
