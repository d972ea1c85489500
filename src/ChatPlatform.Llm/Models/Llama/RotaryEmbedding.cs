using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>
/// Rotary position embedding (Su et al., RoFormer) in transformers' "rotate_half" layout: the cos/sin tables for
/// every position are computed once and gathered per token, so decoding costs one index_select.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor cos;  // (maxPositions, headDim)
    private readonly Tensor sin;

    public RotaryEmbedding(LlamaConfig config, ScalarType dtype, Device device)
    {
        var headDim = config.HeadDim;
        var invFreq = InverseFrequencies(config);
        var maxPositions = config.MaxPositionEmbeddings;
        // transformers computes positions × inv_freq in float32; so do we, for identical angles.
        var table = new float[maxPositions * headDim];
        for (var p = 0; p < maxPositions; p++)
            for (var i = 0; i < invFreq.Length; i++)
            {
                var angle = (float)p * invFreq[i];
                table[p * headDim + i] = angle;
                table[p * headDim + i + invFreq.Length] = angle;
            }
        using var scope = torch.NewDisposeScope();
        var angles = torch.tensor(table, [maxPositions, headDim]);
        cos = angles.cos().to(dtype, device).LeaveDisposeScope();
        sin = angles.sin().to(dtype, device).LeaveDisposeScope();
    }

    /// <summary>inv_freq[i] = θ^(−2i/d), adjusted by rope_scaling (linear: ÷factor; llama3: per-wavelength blend).</summary>
    internal static float[] InverseFrequencies(LlamaConfig config)
    {
        var d = config.HeadDim;
        var result = new float[d / 2];
        for (var i = 0; i < result.Length; i++)
            result[i] = 1.0f / MathF.Pow((float)config.RopeTheta, (2 * i) / (float)d);
        if (config.RopeScaling is LinearRopeScaling linear)
        {
            for (var i = 0; i < result.Length; i++) result[i] /= (float)linear.Factor;
            return result;
        }
        if (config.RopeScaling is not Llama3RopeScaling scaling) return result;
        // llama3 (transformers' _compute_llama3_parameters): long wavelengths scaled by 1/factor, short kept,
        // the band between blended smoothly.
        var oldContext = (double)scaling.OriginalMaxPositionEmbeddings;
        var lowFreqWavelen = oldContext / scaling.LowFreqFactor;
        var highFreqWavelen = oldContext / scaling.HighFreqFactor;
        for (var i = 0; i < result.Length; i++)
        {
            var f = result[i];
            var wavelen = 2 * Math.PI / f;
            if (wavelen > lowFreqWavelen) result[i] = (float)(f / scaling.Factor);
            else if (wavelen >= highFreqWavelen)
            {
                var smooth = (oldContext / wavelen - scaling.LowFreqFactor) / (scaling.HighFreqFactor - scaling.LowFreqFactor);
                result[i] = (float)((1 - smooth) * f / scaling.Factor + smooth * f);
            }
        }
        return result;
    }

    /// <summary>cos and sin for the given positions (B, T), shaped (B, 1, T, headDim) to broadcast over heads.</summary>
    public (Tensor cos, Tensor sin) ForPositions(Tensor positions)
    {
        var shape = positions.shape;
        var flat = positions.reshape(-1);
        var c = cos.index_select(0, flat).view(shape[0], 1, shape[1], -1);
        var s = sin.index_select(0, flat).view(shape[0], 1, shape[1], -1);
        return (c, s);
    }

    /// <summary>cos and sin rows (N, headDim) for N positions (N), contiguous: what the fused decode path reads.</summary>
    public (Tensor cos, Tensor sin) Rows(Tensor positions) => (cos.index_select(0, positions), sin.index_select(0, positions));

    /// <summary>x·cos + rotate_half(x)·sin, where rotate_half(x) = (−x₂, x₁) over the two halves of the last dim.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin) => torch.nn.functional.rotary_embedding(x, cos, sin);

    public void Dispose()
    {
        cos.Dispose();
        sin.Dispose();
    }
}
