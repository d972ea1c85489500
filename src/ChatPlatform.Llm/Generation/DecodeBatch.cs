using ChatPlatform.Llm.Models;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// Continuous batching (Yu et al. 2022, "Orca"): sequences join a running batch between steps and leave it when they
/// finish, and every step decodes one token for all of them in one forward pass.
/// <para>
/// All sequences share one KV cache, one row each (rows [0, Count) are in use). Keys are stored already rotated to
/// their sequence's own positions, so a key's column in the cache does not matter, only which columns a row may see:
/// every row's tokens end at the same column, <c>column</c>, each starting where its own length says, and a padding
/// mask hides the columns before that. So each step writes every row's new key at one column (the same slot the
/// single-sequence path writes, fused or modular) while each row keeps its own position. A newcomer is prefilled
/// straight into its row, its keys ending at <c>column</c>, seeing exactly the keys it would alone (with prompt tuning's
/// virtual tokens it is prefilled in a cache of its own and copied in); when the columns run out the rows are
/// compacted (or the cache grown) by copying into a new cache.
/// </para>
/// Runs on one thread; every method frees its temporaries.
/// </summary>
public sealed class DecodeBatch : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly List<BatchSequence> rows = [];   // rows[i] lives in cache row i
    private KvCache? cache;                            // (rowCapacity, nKV, P + columnCapacity, hd); null when empty
    private int rowCapacity;
    private int columnCapacity;
    private int column;                                // next column written; every row's tokens end just before it
    private readonly PromptPrefixCache prefixes;

    /// <param name="promptCacheBytes">
    /// Memory for the keys and values of recent prompts (<see cref="PromptPrefixCache"/>); 0 turns prefix reuse off.
    /// </param>
    public DecodeBatch(LlamaForCausalLM model, int maxSequences, long promptCacheBytes = PromptPrefixCache.DefaultBudgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequences, 1);
        this.model = model;
        MaxSequences = maxSequences;
        prefixes = new PromptPrefixCache(promptCacheBytes);
    }

    /// <summary>Prompt tokens whose keys and values came from <see cref="PromptPrefixCache"/> instead of a forward pass.</summary>
    public long PromptTokensReused { get; private set; }

    /// <summary>Prompt tokens run through the model.</summary>
    public long PromptTokensComputed { get; private set; }

    public int MaxSequences { get; }

    public int Count => rows.Count;

    public bool IsFull => rows.Count >= MaxSequences;

    public IReadOnlyList<BatchSequence> Sequences => rows;

    /// <summary>Prompt tuning's virtual tokens take the first P columns of every row (the model handles them).</summary>
    private int VirtualTokens => (int)model.Model.PromptTokens;

    /// <summary>
    /// Prefills <paramref name="sequence"/> and chooses its first token, exactly as alone. Unless that token already ends
    /// it, the sequence joins the batch. Returns whether the token is emitted (false for a stop token).
    /// </summary>
    public bool Add(BatchSequence sequence)
    {
        if (IsFull) throw new InvalidOperationException($"the batch already holds {MaxSequences} sequences");
        if (rows.Contains(sequence)) throw new InvalidOperationException("the sequence is already in the batch");
        using var scope = torch.NewDisposeScope();
        using var _ = torch.inference_mode();
        var L = sequence.Prompt.Length;
        if (cache is null || column < L || rows.Count == rowCapacity) Reshape(rows.Count + 1, Math.Max(column, L));
        var row = rows.Count;
        var logits = VirtualTokens == 0 ? PrefillInPlace(row, sequence) : PrefillAndCopy(row, sequence.Prompt);
        var emitted = sequence.Accept(sequence.Choose(logits));
        if (sequence.IsDone) return emitted;   // the row stays free
        sequence.CachedLength = L;
        rows.Add(sequence);
        return emitted;
    }

    /// <summary>
    /// Prefills straight into <paramref name="row"/>, the prompt's keys ending at <c>column</c> like every row's, with
    /// a padding mask hiding the columns before it: no cache of its own and no copy (a short prompt's prefill is mostly
    /// per-op cost, and the copy was a fifth of its engine calls). The model sees exactly the keys it would alone. A
    /// prefix shared with a recent prompt is copied from <see cref="PromptPrefixCache"/> and only the rest is computed;
    /// the prompt is then remembered in turn. Returns the last position's logits (1, V).
    /// </summary>
    private Tensor PrefillInPlace(int row, BatchSequence sequence)
    {
        var prompt = sequence.Prompt;
        var L = prompt.Length;
        var start = column - L;   // the prompt's first column
        using var target = cache!.Row(row);
        var reused = 0;
        if (prefixes.Find(prompt) is { } hit)
        {
            PromptPrefixCache.CopyInto(hit.Entry, hit.Length, target, start);
            reused = hit.Length;
        }
        var real = new bool[column];
        Array.Fill(real, true, start, L);
        var logits = model.forward(Ids(prompt[reused..]), torch.arange(reused, L, 1, device: model.Device).unsqueeze(0), target,
            start + reused, torch.tensor(real, [1, column], model.Device), lastOnly: true).select(1, 0);
        prefixes.Remember(prompt, target, start);
        sequence.CachedPromptTokens = reused;
        PromptTokensReused += reused;
        PromptTokensComputed += L - reused;
        return logits;
    }

    private Tensor Ids(int[] tokens) => torch.tensor(tokens.Select(i => (long)i).ToArray(), [1, tokens.Length], model.Device);

    /// <summary>
    /// With prompt tuning the virtual tokens take the first P columns of the row, before the padding, where the model's
    /// own prepending cannot put them: the prompt is prefilled in a cache of its own and copied into the row.
    /// </summary>
    private Tensor PrefillAndCopy(int row, int[] prompt)
    {
        var L = prompt.Length;
        using var prefill = model.NewCache(1, L);
        var logits = model.forward(Ids(prompt), torch.arange(0, L, 1, device: model.Device).unsqueeze(0), prefill, 0, lastOnly: true)
            .select(1, 0);   // (1, V)
        PromptTokensComputed += L;
        var P = VirtualTokens;
        for (var layer = 0; layer < cache!.Layers; layer++)
        {
            var (keys, values) = cache.Layer(layer);
            var (newKeys, newValues) = prefill.Layer(layer);
            keys.narrow(0, row, 1).narrow(2, 0, P).copy_(newKeys.narrow(2, 0, P));
            values.narrow(0, row, 1).narrow(2, 0, P).copy_(newValues.narrow(2, 0, P));
            keys.narrow(0, row, 1).narrow(2, P + column - L, L).copy_(newKeys.narrow(2, P, L));
            values.narrow(0, row, 1).narrow(2, P + column - L, L).copy_(newValues.narrow(2, P, L));
        }
        return logits;
    }

    /// <summary>
    /// Decodes one token for every sequence in one forward pass. Returns, per sequence in <see cref="Sequences"/> order,
    /// whether its new token (<see cref="BatchSequence.LastToken"/>) is emitted; finished sequences stay until removed.
    /// </summary>
    public bool[] Step()
    {
        if (rows.Count == 0) throw new InvalidOperationException("the batch is empty");
        if (rows.Any(r => r.IsDone)) throw new InvalidOperationException("remove finished sequences before the next step");
        using var scope = torch.NewDisposeScope();
        using var _ = torch.inference_mode();
        var n = rows.Count;
        if (column + 1 > columnCapacity) Reshape(n, rows.Max(r => r.CachedLength));   // compacts, and grows if that is not enough
        var ids = new long[n];
        var positions = new long[n];
        var padded = false;
        for (var r = 0; r < n; r++)
        {
            ids[r] = rows[r].LastToken;
            positions[r] = rows[r].CachedLength;
            padded |= rows[r].CachedLength < column;
        }
        var keyPadding = padded ? KeyPadding() : null;
        using var view = n == rowCapacity ? null : cache!.LeadingRows(n);
        var logits = model.forward(torch.tensor(ids, [n, 1], model.Device), torch.tensor(positions, [n, 1], model.Device),
            view ?? cache, column, keyPadding, lastOnly: true).select(1, 0);   // (n, V)
        column++;
        foreach (var sequence in rows) sequence.CachedLength++;

        var tokens = ChooseAll(logits);
        var emitted = new bool[n];
        for (var r = 0; r < n; r++) emitted[r] = rows[r].Accept(tokens[r]);
        return emitted;
    }

    /// <summary>
    /// Every row's next token from logits (n, V), with as few engine calls as the rows allow: one argmax for all plain
    /// greedy rows; one pass of the sampling chain and one draw for each group of rows with the same settings (each
    /// row's random number from its own generator); the rest (repetition penalty) one by one. Row by row the results equal
    /// <see cref="BatchSequence.Choose"/>'s, so a seeded request draws what it would alone. Every draw comes back to
    /// the host in one copy.
    /// </summary>
    private int[] ChooseAll(Tensor logits)
    {
        var n = rows.Count;
        var tokens = new int[n];
        var parts = new List<Tensor>();
        var rowOfElement = new List<int>();   // per element of the parts, its row (-1: not this row's choice)
        if (rows.Any(r => r.IsPlainGreedy))
        {
            parts.Add(logits.argmax(-1));
            rowOfElement.AddRange(Enumerable.Range(0, n).Select(r => rows[r].IsPlainGreedy ? r : -1));
        }
        foreach (var group in Enumerable.Range(0, n).Where(r => rows[r].SamplesWithoutPenalty).GroupBy(r => rows[r].Sampling with { Seed = null }))
        {
            var members = group.ToList();
            var groupLogits = members.Count == n ? logits
                : logits.index_select(0, torch.tensor(members.Select(r => (long)r).ToArray(), [members.Count], logits.device));
            parts.Add(LogitsProcessing.Draw(LogitsProcessing.Probabilities(groupLogits, group.Key), members.Select(r => rows[r].NextUniform()).ToList()));
            rowOfElement.AddRange(members);
        }
        for (var r = 0; r < n; r++)
            if (!rows[r].IsPlainGreedy && !rows[r].SamplesWithoutPenalty) tokens[r] = rows[r].Choose(logits.narrow(0, r, 1));
        if (parts.Count > 0)
        {
            var chosen = (parts.Count == 1 ? parts[0] : torch.cat(parts)).to(ScalarType.Int64, Device.CPU).data<long>().ToArray();
            for (var i = 0; i < chosen.Length; i++)
                if (rowOfElement[i] >= 0) tokens[rowOfElement[i]] = (int)chosen[i];
        }
        return tokens;
    }

    /// <summary>(n, column + 1) bool: row r sees its own tokens, the last CachedLength columns and the one being written.</summary>
    private Tensor KeyPadding()
    {
        var width = column + 1;
        var real = new bool[rows.Count * width];
        for (var r = 0; r < rows.Count; r++)
            Array.Fill(real, true, r * width + column - rows[r].CachedLength, rows[r].CachedLength + 1);
        return torch.tensor(real, [rows.Count, width], model.Device);
    }

    /// <summary>
    /// Takes a sequence out of the batch (finished or cancelled), freeing its row at once. A finished answer is
    /// remembered with its prompt (<see cref="PromptPrefixCache"/>): a conversation's next turn starts with both.
    /// </summary>
    public void Remove(BatchSequence sequence)
    {
        var row = rows.IndexOf(sequence);
        if (row < 0) throw new InvalidOperationException("the sequence is not in the batch");
        using var scope = torch.NewDisposeScope();
        using var _ = torch.inference_mode();
        if (VirtualTokens == 0 && sequence.Reason is not (FinishReason.None or FinishReason.Cancelled))
        {
            // The cache holds every token fed back: the prompt, then the answer but for its last token (never fed).
            using var target = cache!.Row(row);
            var fed = sequence.CachedLength - sequence.Prompt.Length;
            prefixes.Remember([.. sequence.Prompt, .. sequence.Generated.Take(fed)], target, column - sequence.CachedLength);
        }
        var last = rows.Count - 1;
        if (row != last)
        {
            // The last row moves into the freed one, so rows in use stay [0, Count) and one narrow view covers them.
            for (var layer = 0; layer < cache!.Layers; layer++)
            {
                var (keys, values) = cache.Layer(layer);
                keys.narrow(0, row, 1).copy_(keys.narrow(0, last, 1));
                values.narrow(0, row, 1).copy_(values.narrow(0, last, 1));
            }
            rows[row] = rows[last];
        }
        rows.RemoveAt(last);
        if (rows.Count == 0) Release();
    }

    /// <summary>Drops every sequence (after a failed step) and frees the cache.</summary>
    public void Clear()
    {
        rows.Clear();
        Release();
    }

    private void Release()
    {
        cache?.Dispose();
        cache = null;
        rowCapacity = columnCapacity = column = 0;
    }

    /// <summary>
    /// Moves the rows into a new cache with room for <paramref name="sequences"/> rows and tokens ending at
    /// <paramref name="newColumn"/> plus one more column. Capacities double (rows up to the batch cap, columns up to the
    /// context) so reshapes stay rare.
    /// </summary>
    private void Reshape(int sequences, int newColumn)
    {
        var rowsNeeded = Math.Max(sequences, 1);
        var newRows = rowCapacity >= rowsNeeded ? rowCapacity : Math.Min(MaxSequences, Math.Max(rowsNeeded, 2 * rowCapacity));
        var columnsNeeded = newColumn + 1;
        var newColumns = columnCapacity >= columnsNeeded ? columnCapacity
            : Math.Max(columnsNeeded, Math.Min(model.ContextLength, Math.Max(2 * columnCapacity, 64)));
        var next = model.NewCache(newRows, newColumns);
        if (cache is not null)
        {
            var P = VirtualTokens;
            for (var layer = 0; layer < cache.Layers; layer++)
            {
                var (keys, values) = cache.Layer(layer);
                var (newKeys, newValues) = next.Layer(layer);
                for (var r = 0; r < rows.Count; r++)
                {
                    var length = rows[r].CachedLength;
                    if (P > 0)
                    {
                        newKeys.narrow(0, r, 1).narrow(2, 0, P).copy_(keys.narrow(0, r, 1).narrow(2, 0, P));
                        newValues.narrow(0, r, 1).narrow(2, 0, P).copy_(values.narrow(0, r, 1).narrow(2, 0, P));
                    }
                    newKeys.narrow(0, r, 1).narrow(2, P + newColumn - length, length)
                        .copy_(keys.narrow(0, r, 1).narrow(2, P + column - length, length));
                    newValues.narrow(0, r, 1).narrow(2, P + newColumn - length, length)
                        .copy_(values.narrow(0, r, 1).narrow(2, P + column - length, length));
                }
            }
            cache.Dispose();
        }
        cache = next;
        rowCapacity = newRows;
        columnCapacity = newColumns;
        column = newColumn;
    }

    public void Dispose()
    {
        Clear();
        prefixes.Dispose();
    }
}
