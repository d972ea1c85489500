using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

public static partial class torch
{
    /// <summary>CUDA devices and the caching allocator (all false/zero with a CPU libtorch).</summary>
    public static class cuda
    {
        public static bool is_available()
        {
            Check(cs_cuda_is_available(out var a));
            return a != 0;
        }

        public static int device_count()
        {
            Check(cs_cuda_device_count(out var n));
            return n;
        }

        public static void synchronize(int device = -1) => Check(cs_cuda_synchronize(device));

        /// <summary>The caching allocator's byte counts for a device.</summary>
        public static CudaMemoryStats memory_stats(int device = 0)
        {
            Check(cs_cuda_memory_stats(device, out var allocated, out var reserved, out var peakAllocated, out var peakReserved));
            return new CudaMemoryStats(allocated, reserved, peakAllocated, peakReserved);
        }

        public static void reset_peak_memory_stats(int device = 0) => Check(cs_cuda_reset_peak_memory_stats(device));

        /// <summary>Returns cached, unused device blocks to the driver.</summary>
        public static void empty_cache() => Check(cs_cuda_empty_cache());
    }
}

public readonly record struct CudaMemoryStats(long AllocatedBytes, long ReservedBytes, long PeakAllocatedBytes, long PeakReservedBytes);
