using System.Diagnostics;

namespace ChatPlatform.Torch;

/// <summary>
/// Per-thread counts of what the engine did, for benchmarks: tensors produced (≈ native ops) and, while
/// <see cref="Timing"/> is on, the time spent inside matrix products (matmul, linear, attention). The rest of a
/// step's time is per-op overhead and memory-bound element-wise work.
/// </summary>
public static class OpStatistics
{
    [ThreadStatic] private static long tensorsCreated;
    [ThreadStatic] private static long matmulTicks;
    [ThreadStatic] private static bool timing;

    public static long TensorsCreated => tensorsCreated;

    public static TimeSpan MatmulTime => Stopwatch.GetElapsedTime(0, matmulTicks);

    /// <summary>Times matrix products on this thread (a Stopwatch read per product; off by default).</summary>
    public static bool Timing
    {
        get => timing;
        set => timing = value;
    }

    public static void Reset()
    {
        tensorsCreated = 0;
        matmulTicks = 0;
    }

    internal static void CountTensor() => tensorsCreated++;

    /// <summary>A fused native call counts as one op; its matrix products were timed natively.</summary>
    internal static void CountFusedCall(double matmulSeconds)
    {
        tensorsCreated++;
        if (timing) matmulTicks += (long)(matmulSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    internal static long MatmulStart() => timing ? Stopwatch.GetTimestamp() : 0;

    internal static void MatmulEnd(long start)
    {
        if (start != 0) matmulTicks += Stopwatch.GetTimestamp() - start;
    }
}
