using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// An int8 copy of the unit-vector matrix, for a pre-scan that reads a quarter of the float scan's bytes (the exact
/// scan is bound by memory bandwidth). Row v is kept as codes c = round(v / s) with |c| ≤ 127, its scale s, and two
/// norms: ||c|| and the rounding error r = ||v − s·c||. A query q quantized the same way (q = t·d + e) gives the
/// estimate s·t·(d·c), an exact integer dot product scaled, and by Cauchy–Schwarz
/// |q·v − s·t·(d·c)| = |s·(e·c) + q·(v − s·c)| ≤ s·||e||·||c|| + ||q||·r.
/// So every row's exact score lies in [estimate − bound, estimate + bound]: rows whose upper end cannot reach the
/// k-th best lower end cannot be in the top k, and only the rest are scored in float (<see cref="EmbeddedVectorIndex"/>).
/// </summary>
internal sealed class Int8Rows
{
    private int dimension;
    private sbyte[] codes = [];
    private float[] scales = [];
    private float[] scaledCodeNorms = [];  // s·||c||, the factor of the query's error norm in the bound
    private float[] errorNorms = [];       // r = ||v − s·c||

    public void Reserve(int capacity, int dimension)
    {
        this.dimension = dimension;
        if (scales.Length < capacity)
        {
            Array.Resize(ref scales, capacity);
            Array.Resize(ref scaledCodeNorms, capacity);
            Array.Resize(ref errorNorms, capacity);
        }
        if (codes.Length < capacity * dimension) Array.Resize(ref codes, capacity * dimension);
    }

    public void Set(int row, ReadOnlySpan<float> vector)
    {
        var quantized = Quantize(vector, codes.AsSpan(row * dimension, dimension));
        scales[row] = quantized.Scale;
        scaledCodeNorms[row] = RoundUp(quantized.Scale * quantized.CodeNorm);
        errorNorms[row] = quantized.ErrorNorm;
    }

    public void Move(int from, int to)
    {
        codes.AsSpan(from * dimension, dimension).CopyTo(codes.AsSpan(to * dimension, dimension));
        scales[to] = scales[from];
        scaledCodeNorms[to] = scaledCodeNorms[from];
        errorNorms[to] = errorNorms[from];
    }

    /// <summary>The query's codes (widened to 16 bits once, so each row needs only its own widening) and its terms of the bound.</summary>
    public Query Prepare(ReadOnlySpan<float> query)
    {
        var queryCodes = new sbyte[query.Length];
        var quantized = Quantize(query, queryCodes);
        var widened = new short[query.Length];
        for (var i = 0; i < query.Length; i++) widened[i] = queryCodes[i];
        double norm = 0;
        foreach (var x in query) norm += (double)x * x;
        // Slack for float rounding: the exact score is itself a float dot product (error ≤ n·2^-24 for unit vectors),
        // and estimate and bound are a few float operations each. Doubled, plus a constant: it only costs a few rescored rows.
        var slack = query.Length * 2 * Math.Pow(2, -24) * 2 + 1e-6;
        return new Query(widened, quantized.Scale, quantized.ErrorNorm, RoundUp((float)Math.Sqrt(norm)), (float)slack);
    }

    /// <summary>The row's score estimate and the half-width of the interval that certainly holds its exact float score.</summary>
    public (float Estimate, float Bound) Estimate(int row, Query query)
    {
        var dot = Dot(codes.AsSpan(row * dimension, dimension), query.Codes);
        var estimate = scales[row] * query.Scale * dot;
        var bound = (scaledCodeNorms[row] * query.ErrorNorm + query.Norm * errorNorms[row]) * (1 + 1e-5f) + query.Slack;
        return (estimate, bound);
    }

    public sealed record Query(short[] Codes, float Scale, float ErrorNorm, float Norm, float Slack);

    private static (float Scale, float CodeNorm, float ErrorNorm) Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var maxAbs = 0f;
        foreach (var x in vector) maxAbs = Math.Max(maxAbs, Math.Abs(x));
        var scale = maxAbs > 0 ? maxAbs / 127f : 1f;
        double codeNorm = 0, errorNorm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var code = (int)Math.Clamp(MathF.Round(vector[i] / scale), -127f, 127f);
            codes[i] = (sbyte)code;
            codeNorm += (double)code * code;
            var error = vector[i] - (double)scale * code;  // against the float scale the estimate will use
            errorNorm += error * error;
        }
        return (scale, (float)Math.Sqrt(codeNorm), RoundUp((float)Math.Sqrt(errorNorm)));
    }

    /// <summary>Nudges a float norm up, so a rounded-down value never shrinks the bound.</summary>
    private static float RoundUp(float value) => MathF.BitIncrement(MathF.BitIncrement(value));

    /// <summary>
    /// The exact integer dot product: 32 codes per step widened to 16 bits, multiplied and summed pairwise into 32-bit
    /// lanes (pmaddwd on x64). |code| ≤ 127, so a 16-bit product cannot overflow and the int sum is exact.
    /// </summary>
    internal static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var i = 0;
        var sum = 0;
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var q = ref MemoryMarshal.GetReference(query);
        if (Vector256.IsHardwareAccelerated && row.Length >= 32)
        {
            var accumulator = Vector256<int>.Zero;
            for (; i <= row.Length - 32; i += 32)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
                var queryLow = Vector256.LoadUnsafe(ref q, (nuint)i);
                var queryHigh = Vector256.LoadUnsafe(ref q, (nuint)(i + 16));
                if (Avx2.IsSupported)
                {
                    accumulator += Avx2.MultiplyAddAdjacent(low, queryLow) + Avx2.MultiplyAddAdjacent(high, queryHigh);
                }
                else
                {
                    var (a, b) = Vector256.Widen(low * queryLow);
                    var (c, d) = Vector256.Widen(high * queryHigh);
                    accumulator += a + b + c + d;
                }
            }
            sum = Vector256.Sum(accumulator);
        }
        else if (Vector128.IsHardwareAccelerated && row.Length >= 16)
        {
            var accumulator = Vector128<int>.Zero;
            for (; i <= row.Length - 16; i += 16)
            {
                var (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref r, (nuint)i));
                var (a, b) = Vector128.Widen(low * Vector128.LoadUnsafe(ref q, (nuint)i));
                var (c, d) = Vector128.Widen(high * Vector128.LoadUnsafe(ref q, (nuint)(i + 8)));
                accumulator += a + b + c + d;
            }
            sum = Vector128.Sum(accumulator);
        }
        for (; i < row.Length; i++) sum += row[i] * query[i];
        return sum;
    }
}
