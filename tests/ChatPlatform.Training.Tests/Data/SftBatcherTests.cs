using ChatPlatform.Training.Data;

namespace ChatPlatform.Training.Tests.Data;

public sealed class SftBatcherTests
{
    private const int Pad = 0;
    private const long X = SftTokenizer.IgnoreIndex;

    /// <summary>An example of ids start, start+1, ...; the second half carries loss.</summary>
    private static TokenizedExample Example(int length, int start)
    {
        var ids = Enumerable.Range(start, length).ToArray();
        var labels = ids.Select((id, i) => i >= length / 2 ? id : SftTokenizer.IgnoreIndex).ToArray();
        return new TokenizedExample(ids, labels, false) { Source = $"e:{start}" };
    }

    private static List<TokenizedExample> Examples(params int[] lengths) =>
        lengths.Select((n, i) => Example(n, 100 * (i + 1))).ToList();

    private static List<TokenizedExample> RandomLengths(int count, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        return Enumerable.Range(0, count).Select(i => Example(1 + random.NextInt(200), 1000 * i)).ToList();
    }

    [Fact]
    public void Padded_batch_is_row_major_right_padded_with_ignored_labels()
    {
        var batcher = new SftBatcher(Examples(2, 5, 3), new SftBatcherOptions { BatchSize = 3, PadTokenId = Pad, Shuffle = false });

        var batch = Assert.Single(batcher.Batches(0));

        Assert.Equal((3, 5), (batch.BatchSize, batch.SeqLen));
        Assert.Equal(
            [100, 101, Pad, Pad, Pad,
             200, 201, 202, 203, 204,
             300, 301, 302, Pad, Pad], batch.InputIds);
        Assert.Equal(
            [X, 101, X, X, X,
             X, X, 202, 203, 204,
             X, 301, 302, X, X], batch.Labels);
        Assert.Equal(
            [true, true, false, false, false,
             true, true, true, true, true,
             true, true, true, false, false], batch.AttentionMask);
        Assert.Null(batch.PositionIds);
        Assert.Null(batch.SequenceIds);
        Assert.Equal([0, 1, 2], batch.ExampleIndices);
        Assert.Equal(10, batch.TokenCount);
        Assert.Equal(1 + 3 + 2, batch.LabelCount);
    }

    [Fact]
    public void Pad_id_fills_padding_and_seq_len_rounds_up_to_a_multiple()
    {
        var batcher = new SftBatcher(Examples(2, 5), new SftBatcherOptions { BatchSize = 2, PadTokenId = 151643, Shuffle = false, PadToMultipleOf = 4 });

        var batch = Assert.Single(batcher.Batches(0));

        Assert.Equal(8, batch.SeqLen);
        Assert.Equal([100, 101, 151643, 151643, 151643, 151643, 151643, 151643], batch.InputIds[..8]);
        Assert.Equal(Enumerable.Repeat(X, 6), batch.Labels[2..8]);
    }

    [Fact]
    public void Last_partial_batch_is_kept_or_dropped()
    {
        var examples = Examples(1, 2, 3, 4, 5);

        var kept = new SftBatcher(examples, new SftBatcherOptions { BatchSize = 2, PadTokenId = Pad, Shuffle = false });
        var dropped = new SftBatcher(examples, new SftBatcherOptions { BatchSize = 2, PadTokenId = Pad, Shuffle = false, DropLast = true });

        Assert.Equal(3, kept.BatchesPerEpoch);
        Assert.Equal([2, 2, 1], kept.Batches(0).Select(b => b.BatchSize).ToArray());
        Assert.Equal(2, dropped.BatchesPerEpoch);
        Assert.Equal([[0, 1], [2, 3]], dropped.Batches(0).Select(b => b.ExampleIndices.ToArray()).ToArray());
    }

    [Fact]
    public void Shuffled_epochs_are_permutations_fixed_by_seed_and_epoch_alone()
    {
        var examples = RandomLengths(50, seed: 1);
        var options = new SftBatcherOptions { BatchSize = 4, PadTokenId = Pad, Seed = 1234 };
        int[] Order(SftBatcher b, int epoch) => b.Batches(epoch).SelectMany(x => x.ExampleIndices).ToArray();

        var first = new SftBatcher(examples, options);
        var epochs = Enumerable.Range(0, 4).Select(e => Order(first, e)).ToList();

        foreach (var order in epochs) Assert.Equal(Enumerable.Range(0, 50), order.Order());
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(Enumerable.Range(0, 50), epochs[0]);
        // A resumed run: a new batcher asked for epoch 3 directly gives the same order, and the same batches
        // from a given step on.
        var resumed = new SftBatcher(examples, options);
        Assert.Equal(epochs[3], Order(resumed, 3));
        var fromStep5 = resumed.Batches(3, startBatch: 5).Select(b => b.InputIds).ToList();
        Assert.Equal(first.Batches(3).Skip(5).Select(b => b.InputIds), fromStep5);
        // Another seed, another order.
        Assert.NotEqual(epochs[0], Order(new SftBatcher(examples, options with { Seed = 1235 }), 0));
    }

    [Fact]
    public void Length_grouping_over_one_mega_batch_sorts_the_epoch_longest_first()
    {
        var examples = RandomLengths(64, seed: 3);
        var batcher = new SftBatcher(examples, new SftBatcherOptions { BatchSize = 8, PadTokenId = Pad, GroupByLength = true, MegaBatchMultiplier = 8 });

        var lengths = batcher.Batches(0).SelectMany(b => b.ExampleIndices).Select(i => examples[i].Length).ToArray();

        Assert.Equal(examples.Select(e => e.Length).OrderDescending(), lengths);
    }

    [Fact]
    public void Length_grouping_sorts_each_shuffled_mega_batch_and_cuts_padding()
    {
        var examples = RandomLengths(400, seed: 7);
        var options = new SftBatcherOptions { BatchSize = 8, PadTokenId = Pad, Seed = 3, GroupByLength = true, MegaBatchMultiplier = 10 };
        var grouped = new SftBatcher(examples, options);
        var random = new SftBatcher(examples, options with { GroupByLength = false });

        // transformers' get_length_grouped_indices, restated: the epoch's shuffled order cut into mega-batches of
        // 10 × 8, each sorted by length, longest first (stable); then the batch holding the longest example first.
        var shuffled = random.Batches(0).SelectMany(b => b.ExampleIndices).ToArray();
        var expected = shuffled.Chunk(80).SelectMany(m => m.OrderByDescending(i => examples[i].Length)).ToArray();
        var longestBatch = Array.FindIndex(expected, i => examples[i].Length == examples.Max(e => e.Length)) / 8;
        var expectedBatches = expected.Chunk(8).ToList();
        (expectedBatches[0], expectedBatches[longestBatch]) = (expectedBatches[longestBatch], expectedBatches[0]);

        var batches = grouped.Batches(0).ToList();

        Assert.Equal(expectedBatches.SelectMany(b => b), batches.SelectMany(b => b.ExampleIndices));
        Assert.Equal(examples.Max(e => e.Length), batches[0].SeqLen);
        // Padding falls sharply compared with random batches of the same examples.
        long Padding(SftBatcher b) => b.Batches(0).Sum(x => (long)x.BatchSize * x.SeqLen - x.TokenCount);
        Assert.True(Padding(grouped) * 4 < Padding(random), $"grouped padding {Padding(grouped)}, random {Padding(random)}");
        // Same seed, same order; the next epoch is another one.
        Assert.Equal(batches.SelectMany(b => b.ExampleIndices), new SftBatcher(examples, options).Batches(0).SelectMany(b => b.ExampleIndices));
        Assert.NotEqual(batches.SelectMany(b => b.ExampleIndices), grouped.Batches(1).SelectMany(b => b.ExampleIndices));
    }

    [Fact]
    public void Packing_fills_rows_best_fit_decreasing_with_positions_and_sequence_ids()
    {
        // Lengths 5, 3, 4, 2, 6 into rows of 8, longest first, each into the fullest row with room:
        // 6 → new row A (room 2); 5 → new row B (room 3); 4 → new row C (room 4); 3 → B (room 3 fits exactly);
        // 2 → A. Rows: A = [4, 3], B = [0, 1], C = [2].
        var examples = Examples(5, 3, 4, 2, 6);
        examples[1] = examples[1] with { Labels = examples[1].InputIds }; // loss on every token, the first included
        var batcher = new SftBatcher(examples, new SftBatcherOptions { BatchSize = 3, PadTokenId = Pad, Shuffle = false, PackedLength = 8 });

        Assert.Equal(3, batcher.RowsPerEpoch);
        var batch = Assert.Single(batcher.Batches(0));

        Assert.Equal((3, 8), (batch.BatchSize, batch.SeqLen));
        Assert.Equal(
            [500, 501, 502, 503, 504, 505, 400, 401,
             100, 101, 102, 103, 104, 200, 201, 202,
             300, 301, 302, 303, Pad, Pad, Pad, Pad], batch.InputIds);
        Assert.Equal(
            [0, 1, 2, 3, 4, 5, 0, 1,
             0, 1, 2, 3, 4, 0, 1, 2,
             0, 1, 2, 3, 0, 0, 0, 0], batch.PositionIds!);
        Assert.Equal(
            [4, 4, 4, 4, 4, 4, 3, 3,
             0, 0, 0, 0, 0, 1, 1, 1,
             2, 2, 2, 2, -1, -1, -1, -1], batch.SequenceIds!);
        // Each example's own labels (the second half; all of example 1), except that no example's first token is a
        // target: with the loss shifted by one, the last token of the previous example would learn to predict it.
        Assert.Equal(
            [X, X, X, 503, 504, 505, X, 401,
             X, X, 102, 103, 104, X, 201, 202,
             X, X, 302, 303, X, X, X, X], batch.Labels);
        Assert.Equal(20, batch.TokenCount);
        Assert.Equal(batch.Labels.Count(l => l != X), batch.LabelCount);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i < 8 + 8 + 4), batch.AttentionMask);
        Assert.Equal([4, 3, 0, 1, 2], batch.ExampleIndices);
    }

    [Fact]
    public void Packed_rows_never_overflow_and_every_example_appears_once_per_epoch()
    {
        var examples = RandomLengths(300, seed: 11);
        var batcher = new SftBatcher(examples, new SftBatcherOptions { BatchSize = 4, PadTokenId = Pad, PackedLength = 256, Seed = 5 });
        var totalTokens = examples.Sum(e => e.Length);

        foreach (var epoch in new[] { 0, 1 })
        {
            var batches = batcher.Batches(epoch).ToList();
            Assert.Equal(Enumerable.Range(0, 300), batches.SelectMany(b => b.ExampleIndices).Order());
            Assert.All(batches, b => Assert.True(b.SeqLen <= 256));
            Assert.Equal(totalTokens, batches.Sum(b => b.TokenCount));
            foreach (var b in batches)
                for (var t = 0; t < b.InputIds.Length; t++)
                {
                    if (b.SequenceIds![t] < 0) continue;
                    var e = examples[b.SequenceIds[t]];
                    Assert.Equal(e.InputIds[(int)b.PositionIds![t]], b.InputIds[t]);
                }
        }
        // Best fit leaves little room: fewer rows than 1.1 × the lower bound.
        Assert.True(batcher.RowsPerEpoch <= Math.Ceiling(totalTokens / 256.0) * 1.1, $"{batcher.RowsPerEpoch} rows for {totalTokens} tokens");
        Assert.NotEqual(batcher.Batches(0).First().ExampleIndices, batcher.Batches(1).First().ExampleIndices);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused()
    {
        var examples = Examples(5, 9);

        Assert.Throws<ArgumentException>(() => new SftBatcher(examples, new SftBatcherOptions { BatchSize = 2, PadTokenId = Pad, PackedLength = 8 }));
        Assert.Throws<ArgumentException>(() => new SftBatcher(examples, new SftBatcherOptions { BatchSize = 2, PadTokenId = Pad, PackedLength = 16, GroupByLength = true }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SftBatcher(examples, new SftBatcherOptions { BatchSize = 0, PadTokenId = Pad }));
        Assert.Throws<ArgumentException>(() => new SftBatcher([new TokenizedExample([1, 2], [1], false)], new SftBatcherOptions { BatchSize = 1, PadTokenId = Pad }));
    }
}
