using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models;

/// <summary>
/// Keys and values of every layer, preallocated for the whole sequence budget (B, kvHeads, maxLength, headDim), so
/// decoding writes one slot per token in place and never reallocates. Owned by one generation session.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public KvCache(int layers, long batch, long kvHeads, long maxLength, long headDim, ScalarType dtype, Device device)
    {
        MaxLength = maxLength;
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (var i = 0; i < layers; i++)
        {
            keys[i] = torch.zeros([batch, kvHeads, maxLength, headDim], dtype, device).LeaveDisposeScope();
            values[i] = torch.zeros([batch, kvHeads, maxLength, headDim], dtype, device).LeaveDisposeScope();
        }
    }

    private KvCache(Tensor[] keys, Tensor[] values, long maxLength)
    {
        this.keys = keys;
        this.values = values;
        MaxLength = maxLength;
    }

    public long MaxLength { get; }

    /// <summary>
    /// The first <paramref name="count"/> sequences as a cache of their own: views sharing this cache's memory (contiguous,
    /// as the fused decode path needs), for a batch that runs fewer sequences than the cache has room for. Disposing the
    /// view frees only the views.
    /// </summary>
    internal KvCache LeadingRows(long count) => new(
        keys.Select(k => k.narrow(0, 0, count).LeaveDisposeScope()).ToArray(),
        values.Select(v => v.narrow(0, 0, count).LeaveDisposeScope()).ToArray(), MaxLength);

    /// <summary>One sequence's row as a cache of its own (views, like <see cref="LeadingRows"/>): a batch prefills a newcomer in place.</summary>
    internal KvCache Row(long row) => new(
        keys.Select(k => k.narrow(0, row, 1).LeaveDisposeScope()).ToArray(),
        values.Select(v => v.narrow(0, row, 1).LeaveDisposeScope()).ToArray(), MaxLength);

    internal int Layers => keys.Length;

    /// <summary>Stores k, v (B, kvHeads, T, headDim) at positions [start, start+T) and returns views of [0, start+T).</summary>
    public (Tensor keys, Tensor values) Update(int layer, Tensor k, Tensor v, long start)
    {
        var length = k.size(2);
        EnsureCapacity(start + length);
        keys[layer].narrow_copy_(2, start, k);
        values[layer].narrow_copy_(2, start, v);
        return (keys[layer].narrow(2, 0, start + length), values[layer].narrow(2, 0, start + length));
    }

    /// <summary>Refuses a write that would need more than the preallocated <see cref="MaxLength"/> positions.</summary>
    internal void EnsureCapacity(long positions)
    {
        if (positions > MaxLength)
            throw new InvalidOperationException($"KV cache overflow: {positions} positions, capacity {MaxLength}");
    }

    /// <summary>The whole key and value buffers of one layer, for kernels that write their slot themselves.</summary>
    internal (Tensor keys, Tensor values) Layer(int layer) => (keys[layer], values[layer]);

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
