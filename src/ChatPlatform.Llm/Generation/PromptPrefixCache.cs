using ChatPlatform.Llm.Models;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// Keys and values of recent prompts, so that a prompt starting like one already seen (the chat template and system
/// prompt every request shares, a conversation's earlier turns, a retried request) is prefilled from its first new token
/// rather than its first token: vLLM's automatic prefix caching, llama.cpp server's prompt cache.
/// <para>
/// Reuse is exact: under causal attention a prefix's keys and values depend only on the prefix's own tokens, and keys are
/// stored rotated to their positions, which start at 0 in every prompt. Entries are whole prompts, matched by longest
/// common prefix and evicted least recently used within a byte budget and an entry cap (which also bounds the scan).
/// Lives on the inference thread with its <see cref="DecodeBatch"/>.
/// </para>
/// </summary>
internal sealed class PromptPrefixCache : IDisposable
{
    /// <summary>Enough for typical chat traffic; each entry costs layers · 2 · kvHeads · headDim · length elements.</summary>
    public const long DefaultBudgetBytes = 128L << 20;

    private const int MaxEntries = 64;

    private readonly List<Entry> entries = [];
    private readonly long budgetBytes;
    private long usedBytes;
    private long clock;

    public PromptPrefixCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        this.budgetBytes = budgetBytes;
    }

    /// <summary>One remembered prompt: its tokens and, per layer, keys and values (1, kvHeads, length, headDim).</summary>
    public sealed class Entry(int[] tokens, Tensor[] keys, Tensor[] values, long bytes)
    {
        public int[] Tokens { get; } = tokens;
        public Tensor[] Keys { get; } = keys;
        public Tensor[] Values { get; } = values;
        public long Bytes { get; } = bytes;
        public long LastUse { get; set; }
    }

    /// <summary>
    /// The entry sharing the longest prefix with <paramref name="prompt"/>, and how many of its tokens to reuse: at most
    /// all but the prompt's last token, whose logits the caller needs. Null when nothing is shared.
    /// </summary>
    public (Entry Entry, int Length)? Find(int[] prompt)
    {
        (Entry Entry, int Length)? best = null;
        foreach (var entry in entries)
        {
            var length = Math.Min(entry.Tokens.AsSpan().CommonPrefixLength(prompt), prompt.Length - 1);
            if (length > 0 && length > (best?.Length ?? 0)) best = (entry, length);
        }
        if (best is { } hit) hit.Entry.LastUse = ++clock;
        return best;
    }

    /// <summary>Writes the first <paramref name="length"/> keys and values of <paramref name="entry"/> into a one-row cache at <paramref name="column"/>.</summary>
    public static void CopyInto(Entry entry, int length, KvCache row, long column)
    {
        for (var layer = 0; layer < entry.Keys.Length; layer++)
        {
            var (keys, values) = row.Layer(layer);
            keys.narrow(2, column, length).copy_(entry.Keys[layer].narrow(2, 0, length));
            values.narrow(2, column, length).copy_(entry.Values[layer].narrow(2, 0, length));
        }
    }

    /// <summary>
    /// Remembers <paramref name="prompt"/>, whose keys and values a one-row cache holds from <paramref name="column"/>
    /// on (a copy: the row is reused by other requests). A prompt already remembered, or the start of one, is only
    /// marked as used; entries that are the start of this one go (it matches every prompt at least as far as they do).
    /// </summary>
    public void Remember(int[] prompt, KvCache row, long column)
    {
        foreach (var entry in entries)
            if (entry.Tokens.AsSpan().StartsWith(prompt))
            {
                entry.LastUse = ++clock;
                return;
            }
        var (firstKeys, _) = row.Layer(0);
        var bytes = 2L * row.Layers * firstKeys.size(1) * prompt.Length * firstKeys.size(3) * firstKeys.dtype.ElementSize();
        if (bytes > budgetBytes) return;
        foreach (var covered in entries.Where(e => prompt.AsSpan().StartsWith(e.Tokens)).ToList()) Drop(covered);
        while (entries.Count >= MaxEntries || usedBytes + bytes > budgetBytes) Evict();
        var keys = new Tensor[row.Layers];
        var values = new Tensor[row.Layers];
        for (var layer = 0; layer < row.Layers; layer++)
        {
            var (k, v) = row.Layer(layer);
            keys[layer] = k.narrow(2, column, prompt.Length).clone().LeaveDisposeScope();
            values[layer] = v.narrow(2, column, prompt.Length).clone().LeaveDisposeScope();
        }
        entries.Add(new Entry([.. prompt], keys, values, bytes) { LastUse = ++clock });
        usedBytes += bytes;
    }

    public int Count => entries.Count;

    private void Evict() => Drop(entries.MinBy(e => e.LastUse)!);

    private void Drop(Entry entry)
    {
        entries.Remove(entry);
        usedBytes -= entry.Bytes;
        Free(entry);
    }

    private static void Free(Entry entry)
    {
        foreach (var t in entry.Keys) t.Dispose();
        foreach (var t in entry.Values) t.Dispose();
    }

    public void Dispose()
    {
        foreach (var entry in entries) Free(entry);
        entries.Clear();
        usedBytes = 0;
    }
}
