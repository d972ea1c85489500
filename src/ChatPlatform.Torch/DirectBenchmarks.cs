using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

/// <summary>The same work as a benchmark does through the binding, timed entirely inside C++ (the baseline).</summary>
public static class DirectBenchmarks
{
    /// <summary>Total seconds for <paramref name="iterations"/> n×n fp32 matmuls after one warm-up.</summary>
    public static double MatmulSeconds(long n, int iterations, Device device)
    {
        Check(cs_bench_matmul(n, iterations, (int)device.Type, out var seconds));
        return seconds;
    }

    /// <summary>Nanoseconds per add of two 1-element tensors, one figure per round.</summary>
    public static double[] TinyAddNanoseconds(int rounds, int perRound)
    {
        var result = new double[rounds];
        Check(cs_bench_tiny_add(rounds, perRound, result));
        return result;
    }
}
