using System.Text;

namespace ChatPlatform.Core.Dedup;

/// <summary>
/// MinHash signatures (Broder 1997): for each of k random hash functions, the minimum hash over a set's shingles.
/// The fraction of equal positions in two signatures estimates the sets' Jaccard similarity.
/// Hash functions are h_i(x) = (a_i·x + b_i) mod (2^61 − 1) over a 64-bit FNV-1a hash of the shingle.
/// </summary>
public sealed class MinHasher
{
    const ulong MersennePrime = (1UL << 61) - 1;
    readonly ulong[] a;
    readonly ulong[] b;

    public MinHasher(int permutations, int seed)
    {
        var random = new Random(seed);
        a = new ulong[permutations];
        b = new ulong[permutations];
        for (var i = 0; i < permutations; i++)
        {
            a[i] = (ulong)random.NextInt64(1, (long)MersennePrime);
            b[i] = (ulong)random.NextInt64(0, (long)MersennePrime);
        }
    }

    public int Permutations => a.Length;

    public ulong[] Signature(IReadOnlyCollection<string> shingles)
    {
        var signature = new ulong[a.Length];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            var x = Fnv1a(shingle) % MersennePrime;
            for (var i = 0; i < a.Length; i++)
            {
                var h = MulAddMod(a[i], x, b[i]);
                if (h < signature[i]) signature[i] = h;
            }
        }
        return signature;
    }

    /// <summary>The fraction of positions where two signatures agree: an unbiased estimate of Jaccard similarity.</summary>
    public static double EstimateJaccard(ulong[] x, ulong[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException("signatures of different lengths");
        var equal = 0;
        for (var i = 0; i < x.Length; i++) if (x[i] == y[i] && x[i] != ulong.MaxValue) equal++;
        return (double)equal / x.Length;
    }

    static ulong MulAddMod(ulong a, ulong x, ulong b)
    {
        var product = (UInt128)a * x + b;
        return (ulong)(product % MersennePrime);
    }

    static ulong Fnv1a(string s)
    {
        var hash = 14695981039346656037UL;
        foreach (var by in Encoding.UTF8.GetBytes(s))
        {
            hash ^= by;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
