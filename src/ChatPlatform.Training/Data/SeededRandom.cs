namespace ChatPlatform.Training.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
/// generator Java's SplittableRandom and xoshiro's seeding use). Our own so that an order made from a seed is
/// the same on every runtime and machine: System.Random's seeded sequence is not a documented contract.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, stream) pair, e.g. (training seed, epoch): each stream is reproducible on its own.</summary>
    public static SeededRandom ForStream(long seed, long stream) =>
        new(Mix(unchecked((ulong)seed)) ^ Mix(unchecked((ulong)stream + 0x632BE59BD9B4E019UL)));

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>), by rejection so that no value is favoured.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        var n = (ulong)bound;
        var limit = ulong.MaxValue - ulong.MaxValue % n; // multiples of n below this are equally likely
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % n);
    }

    /// <summary>Fisher–Yates (Durstenfeld) shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>0..n-1 in a random order.</summary>
    public int[] Permutation(int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        Shuffle(order);
        return order;
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
