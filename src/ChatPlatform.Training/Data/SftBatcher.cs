namespace ChatPlatform.Training.Data;

/// <summary>
/// One training batch, flattened row-major: element [b, t] is at <c>b * SeqLen + t</c>.
/// </summary>
/// <param name="InputIds">(BatchSize, SeqLen) token ids, right-padded with the pad id.</param>
/// <param name="Labels">(BatchSize, SeqLen) labels aligned with the ids (-100 on padding and where no loss); the loss shifts by one.</param>
/// <param name="AttentionMask">(BatchSize, SeqLen), true on real tokens, false on padding.</param>
public sealed record SftBatch(long[] InputIds, long[] Labels, bool[] AttentionMask, int BatchSize, int SeqLen)
{
    /// <summary>
    /// Packed batches only, (BatchSize, SeqLen): each token's position within its own example (0 on padding),
    /// so rotary embeddings restart with each example. Null for padded batches (positions are 0..SeqLen-1).
    /// </summary>
    public long[]? PositionIds { get; init; }

    /// <summary>
    /// Packed batches only, (BatchSize, SeqLen): the index of the example each token belongs to, -1 on padding.
    /// Token i may attend to token j of the same row iff j &lt;= i and both have the same sequence id
    /// (block-diagonal causal attention). Null for padded batches.
    /// </summary>
    public int[]? SequenceIds { get; init; }

    /// <summary>The examples in the batch (indices into the batcher's list), in row order.</summary>
    public required IReadOnlyList<int> ExampleIndices { get; init; }

    /// <summary>Real (non-padding) tokens.</summary>
    public required int TokenCount { get; init; }

    /// <summary>Labels other than -100: the targets the loss averages over.</summary>
    public required int LabelCount { get; init; }
}

/// <summary>How <see cref="SftBatcher"/> orders, pads and packs examples.</summary>
public sealed record SftBatcherOptions
{
    /// <summary>Rows per batch: examples, or packed sequences when packing.</summary>
    public required int BatchSize { get; init; }

    /// <summary>The id padding gets (see <see cref="SftTokenizer.PadTokenId"/>); padding never carries loss.</summary>
    public required int PadTokenId { get; init; }

    public long Seed { get; init; } = 42;

    /// <summary>A new order every epoch; otherwise the given order (and the same packing) every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Batches of similar length, as transformers' group_by_length: shuffle, cut into mega-batches of
    /// <see cref="MegaBatchMultiplier"/> × BatchSize examples, sort each by length (longest first) and cut into batches.
    /// Less padding while keeping the order random at the scale of mega-batches. Not with packing.
    /// </summary>
    public bool GroupByLength { get; init; }

    /// <summary>Mega-batch size in batches; null: transformers' default, min(examples / (4 × BatchSize), 50), at least 1.</summary>
    public int? MegaBatchMultiplier { get; init; }

    /// <summary>
    /// Packing: whole examples are concatenated into rows of at most this many tokens (best-fit decreasing, as
    /// TRL's "bfd" packing) with <see cref="SftBatch.PositionIds"/> and <see cref="SftBatch.SequenceIds"/> for
    /// block-diagonal attention. Every example must fit (tokenize with MaxLength at most this). Null: no packing.
    /// </summary>
    public int? PackedLength { get; init; }

    /// <summary>Drop the last batch of an epoch when it has fewer than BatchSize rows.</summary>
    public bool DropLast { get; init; }

    /// <summary>SeqLen is rounded up to a multiple of this (tensor-core friendly shapes on GPUs).</summary>
    public int PadToMultipleOf { get; init; } = 1;
}

/// <summary>
/// Makes training batches from tokenized examples: right padding, optional length grouping and packing, and a
/// seeded order per epoch. The order of epoch e depends only on (seed, e), so a resumed run recreates it
/// without replaying earlier epochs: <c>Batches(epoch, startBatch)</c>.
/// </summary>
public sealed class SftBatcher
{
    private readonly IReadOnlyList<TokenizedExample> _examples;
    private readonly SftBatcherOptions _options;
    // Packed rows (example indices), fixed for the run; null when not packing.
    private readonly int[][]? _packedRows;

    public SftBatcher(IReadOnlyList<TokenizedExample> examples, SftBatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PadToMultipleOf, 1, nameof(options.PadToMultipleOf));
        if (options.MegaBatchMultiplier is < 1) throw new ArgumentOutOfRangeException(nameof(options), "MegaBatchMultiplier must be at least 1");
        if (options.PackedLength is { } packed)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(packed, 1, nameof(options.PackedLength));
            if (options.GroupByLength) throw new ArgumentException("GroupByLength has no meaning with packing: packed rows are already of similar length", nameof(options));
        }
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (e.InputIds.Length == 0 || e.Labels.Length != e.InputIds.Length)
                throw new ArgumentException($"example {i} ({e.Source}) is empty or its labels do not match its ids", nameof(examples));
            if (options.PackedLength is { } limit && e.InputIds.Length > limit)
                throw new ArgumentException($"example {i} ({e.Source}) has {e.InputIds.Length} tokens, more than PackedLength {limit}: tokenize with MaxLength <= PackedLength", nameof(examples));
        }
        _examples = examples;
        _options = options;
        if (options.PackedLength is { } length) _packedRows = PackBestFitDecreasing(examples, length);

        var rows = _packedRows?.Length ?? examples.Count;
        BatchesPerEpoch = options.DropLast ? rows / options.BatchSize : (rows + options.BatchSize - 1) / options.BatchSize;
    }

    public int BatchesPerEpoch { get; }

    /// <summary>Rows per epoch: the examples, or the packed sequences.</summary>
    public int RowsPerEpoch => _packedRows?.Length ?? _examples.Count;

    /// <summary>The batches of <paramref name="epoch"/> from <paramref name="startBatch"/> on (to resume mid-epoch).</summary>
    public IEnumerable<SftBatch> Batches(int epoch, int startBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(startBatch);
        var plan = EpochPlan(epoch);
        for (var b = startBatch; b < plan.Count; b++)
            yield return Build(plan[b]);
    }

    /// <summary>
    /// The rows of each batch of <paramref name="epoch"/>; a row is the example indices packed into it
    /// (exactly one when not packing). Depends only on the examples, the options and the epoch.
    /// </summary>
    public IReadOnlyList<int[][]> EpochPlan(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var B = _options.BatchSize;
        int[][] rows;
        if (_packedRows is not null)
        {
            rows = [.. _packedRows];
            if (_options.Shuffle) SeededRandom.ForStream(_options.Seed, epoch).Shuffle(rows);
        }
        else
        {
            var order = _options.Shuffle ? SeededRandom.ForStream(_options.Seed, epoch).Permutation(_examples.Count) : Enumerable.Range(0, _examples.Count).ToArray();
            if (_options.GroupByLength) order = GroupByLength(order);
            rows = order.Select(i => new[] { i }).ToArray();
        }

        var batches = new List<int[][]>(BatchesPerEpoch);
        for (var start = 0; start < rows.Length && batches.Count < BatchesPerEpoch; start += B)
            batches.Add(rows[start..Math.Min(start + B, rows.Length)]);
        return batches;
    }

    /// <summary>
    /// transformers' get_length_grouped_indices: mega-batches of the (shuffled) order, each sorted by length,
    /// longest first. Then, as there, the batch with the longest example goes first, so an out-of-memory error
    /// shows at the first step rather than hours in.
    /// </summary>
    private int[] GroupByLength(int[] order)
    {
        var B = _options.BatchSize;
        var multiplier = _options.MegaBatchMultiplier ?? Math.Clamp(order.Length / (B * 4), 1, 50);
        var megaBatch = multiplier * B;
        var grouped = new int[order.Length];
        for (var start = 0; start < order.Length; start += megaBatch)
        {
            var end = Math.Min(start + megaBatch, order.Length);
            // A stable sort: equal lengths keep their shuffled order.
            var sorted = order[start..end].OrderByDescending(i => _examples[i].Length).ToArray();
            sorted.CopyTo(grouped, start);
        }

        // Each mega-batch starts with its longest example, so the longest overall starts some batch: swap that batch
        // with the first (transformers swaps single indices; whole batches keep the other batches' grouping intact).
        var longest = 0;
        for (var i = 1; i < grouped.Length; i++)
            if (_examples[grouped[i]].Length > _examples[grouped[longest]].Length) longest = i;
        var batchStart = longest - longest % B;
        if (batchStart != 0 && batchStart + B <= grouped.Length)
        {
            for (var k = 0; k < B; k++) (grouped[k], grouped[batchStart + k]) = (grouped[batchStart + k], grouped[k]);
        }
        return grouped;
    }

    private SftBatch Build(int[][] rows)
    {
        var packed = _packedRows is not null;
        var rowLengths = rows.Select(r => r.Sum(i => _examples[i].Length)).ToArray();
        var m = _options.PadToMultipleOf;
        var T = (rowLengths.Max() + m - 1) / m * m;
        var B = rows.Length;

        var ids = new long[B * T];
        var labels = new long[B * T];
        var mask = new bool[B * T];
        var positions = packed ? new long[B * T] : null;
        var sequences = packed ? new int[B * T] : null;
        Array.Fill(ids, _options.PadTokenId);
        Array.Fill(labels, SftTokenizer.IgnoreIndex);
        if (sequences is not null) Array.Fill(sequences, -1);

        int tokens = 0, targets = 0;
        for (var b = 0; b < B; b++)
        {
            var t = b * T;
            foreach (var index in rows[b])
            {
                var e = _examples[index];
                for (var p = 0; p < e.Length; p++, t++)
                {
                    ids[t] = e.InputIds[p];
                    // In a packed row the first token of an example must not be a target of the previous one:
                    // the shifted loss would otherwise learn to predict across the boundary.
                    labels[t] = packed && p == 0 ? SftTokenizer.IgnoreIndex : e.Labels[p];
                    mask[t] = true;
                    if (positions is not null) positions[t] = p;
                    if (sequences is not null) sequences[t] = index;
                    if (labels[t] != SftTokenizer.IgnoreIndex) targets++;
                }
                tokens += e.Length;
            }
        }
        return new SftBatch(ids, labels, mask, B, T)
        {
            PositionIds = positions,
            SequenceIds = sequences,
            ExampleIndices = rows.SelectMany(r => r).ToArray(),
            TokenCount = tokens,
            LabelCount = targets,
        };
    }

    /// <summary>
    /// Best-fit decreasing bin packing: longest example first, each into the fullest row that still has room.
    /// Deterministic (ties by index); rows are then shuffled per epoch.
    /// </summary>
    private static int[][] PackBestFitDecreasing(IReadOnlyList<TokenizedExample> examples, int capacity)
    {
        var order = Enumerable.Range(0, examples.Count).OrderByDescending(i => examples[i].Length).ToArray();
        var rows = new List<List<int>>();
        // Open rows bucketed by the room they have left; the smallest room that fits is the best fit.
        var byRoom = new Stack<int>[capacity + 1];
        foreach (var i in order)
        {
            var length = examples[i].Length;
            var room = length;
            while (room <= capacity && (byRoom[room] is null || byRoom[room].Count == 0)) room++;
            int row;
            if (room <= capacity)
            {
                row = byRoom[room].Pop();
                rows[row].Add(i);
            }
            else
            {
                rows.Add([i]);
                (row, room) = (rows.Count - 1, capacity);
            }
            var left = room - length;
            if (left > 0) (byRoom[left] ??= new Stack<int>()).Push(row);
        }
        return rows.Select(r => r.ToArray()).ToArray();
    }
}
