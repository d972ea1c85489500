using ChatPlatform.Training.Data;

namespace ChatPlatform.Training.Tests.Data;

public sealed class TrainEvalSplitTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]   // a single example trains
    [InlineData(2, 1)]   // at least one eval example from two on
    [InlineData(5, 1)]   // ceil(0.5)
    [InlineData(10, 1)]
    [InlineData(11, 2)]  // ceil(1.1)
    [InlineData(30, 3)]  // 0.1 × 30 is 3.0000000000000004 in binary: still 3
    [InlineData(100, 10)]
    public void Default_split_holds_out_a_tenth_rounded_up(int n, int expectedEval)
    {
        var split = TrainEvalSplit.Split(Enumerable.Range(0, n).ToList());

        Assert.Equal(expectedEval, split.Eval.Count);
        Assert.Equal(n - expectedEval, split.Train.Count);
    }

    [Fact]
    public void Split_is_a_partition_in_input_order_fixed_by_the_seed()
    {
        var items = Enumerable.Range(0, 200).Select(i => $"ex{i}").ToList();

        var a = TrainEvalSplit.Split(items, 0.25, seed: 9);
        var b = TrainEvalSplit.Split(items, 0.25, seed: 9);
        var c = TrainEvalSplit.Split(items, 0.25, seed: 10);

        Assert.Equal(50, a.Eval.Count);
        Assert.Equal(items, a.Train.Concat(a.Eval).OrderBy(s => int.Parse(s[2..])));
        Assert.Empty(a.Train.Intersect(a.Eval));
        Assert.Equal(a.Train.OrderBy(s => int.Parse(s[2..])), a.Train);
        Assert.Equal(a.Eval.OrderBy(s => int.Parse(s[2..])), a.Eval);
        Assert.Equal(a.Eval, b.Eval);
        Assert.NotEqual(a.Eval, c.Eval);
        // Not simply the first or last examples.
        Assert.NotEqual(items.Take(50), a.Eval);
        Assert.NotEqual(items.Skip(150), a.Eval);
    }

    [Fact]
    public void A_given_eval_set_is_used_as_is()
    {
        var train = new[] { 1, 2, 3 };
        var eval = new[] { 9 };

        var split = TrainEvalSplit.Split(train, eval);

        Assert.Equal(train, split.Train);
        Assert.Equal(eval, split.Eval);
        Assert.Single(TrainEvalSplit.Split(train, evalExamples: null).Eval);
    }

    [Fact]
    public void Zero_fraction_keeps_everything_and_invalid_fractions_are_refused()
    {
        Assert.Empty(TrainEvalSplit.Split([1, 2, 3], 0.0).Eval);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainEvalSplit.Split([1, 2, 3], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainEvalSplit.Split([1, 2, 3], -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainEvalSplit.Split([1, 2, 3], double.NaN));
    }
}

public sealed class SeededRandomTests
{
    [Fact]
    public void Sequence_is_splitmix64()
    {
        // Published reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var random = new SeededRandom(0);

        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
        Assert.Equal(0xF88BB8A8724C81ECUL, random.NextUInt64());
    }

    [Fact]
    public void Bounded_draws_are_uniform_and_shuffles_are_unbiased()
    {
        var random = SeededRandom.ForStream(42, 0);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++) counts[random.NextInt(6)]++;
        // 10,000 expected per face, standard deviation ~91: 5 sigma is 456.
        Assert.All(counts, c => Assert.InRange(c, 10_000 - 456, 10_000 + 456));

        // Each of the 6 orders of 3 items is equally likely under Fisher–Yates.
        var orders = new Dictionary<string, int>();
        for (var i = 0; i < 60_000; i++)
        {
            var key = string.Join(",", random.Permutation(3));
            orders[key] = orders.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(6, orders.Count);
        Assert.All(orders.Values, c => Assert.InRange(c, 10_000 - 456, 10_000 + 456));
    }

    [Fact]
    public void Streams_differ_by_seed_and_by_stream()
    {
        ulong First(long seed, long stream) => SeededRandom.ForStream(seed, stream).NextUInt64();

        Assert.Equal(First(1, 2), First(1, 2));
        Assert.NotEqual(First(1, 2), First(1, 3));
        Assert.NotEqual(First(1, 2), First(2, 2));
        Assert.NotEqual(First(1, 2), First(2, 1));
    }
}
