using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Embeddings;

/// <summary>sentence-transformers' Pooling and Normalize modules, on whatever device the hidden states are.</summary>
public static class Pooling
{
    /// <summary>
    /// Sentence vectors (B, modes·C) from token states (B, T, C) and the attention mask (B, T) (true/1 = real token,
    /// right padding), computed in the states' dtype widened to float32 at least.
    /// </summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, PoolingConfig config)
    {
        if (hidden.dtype is ScalarType.Float16 or ScalarType.BFloat16) hidden = hidden.to(ScalarType.Float32);
        var m = attentionMask.to(hidden.dtype).unsqueeze(-1);                  // (B, T, 1)
        var parts = new List<Tensor>(config.ModeCount);
        if (config.Cls) parts.Add(hidden.select(1, 0));                          // (B, C)
        if (config.Max)
        {
            // Padding is set to -1e9 first (as sentence-transformers does), so it never wins the max.
            parts.Add(hidden.masked_fill(m.eq(0.0), -1e9).max(1).values);
        }
        if (config.Mean || config.MeanSqrtLen)
        {
            var sum = (hidden * m).sum(1);                                       // (B, C)
            var count = m.sum(1);                                                // (B, 1)
            if (config.Mean) parts.Add(sum / count.clamp(min: 1e-9));
            if (config.MeanSqrtLen) parts.Add(sum / count.sqrt());
        }
        if (config.LastToken)
        {
            var shape = hidden.shape;
            var last = (attentionMask.to(ScalarType.Int64).sum(1) - 1).clamp(min: 0L);   // (B)
            var index = last.view(shape[0], 1, 1).expand(shape[0], 1, shape[2]);          // (B, 1, C)
            parts.Add(hidden.gather(1, index).squeeze(1));
        }
        return parts.Count == 1 ? parts[0] : torch.cat(parts, 1);
    }

    /// <summary>Normalize: each row divided by its L2 norm (at least 1e-12, as torch.nn.functional.normalize).</summary>
    public static Tensor Normalize(Tensor vectors) =>
        vectors / vectors.square().sum(1, keepdim: true).sqrt().clamp(min: 1e-12);
}
