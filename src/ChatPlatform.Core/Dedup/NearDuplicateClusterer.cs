namespace ChatPlatform.Core.Dedup;

/// <summary>
/// Groups texts into near-duplicate clusters: MinHash signatures, LSH banding to find candidate pairs without
/// comparing every pair, then the signature estimate against the threshold; clusters are the connected components.
/// </summary>
public sealed class NearDuplicateClusterer
{
    readonly NearDuplicateOptions options;
    readonly MinHasher hasher;

    public NearDuplicateClusterer(NearDuplicateOptions? options = null)
    {
        this.options = options ?? new NearDuplicateOptions();
        this.options.Validate();
        hasher = new MinHasher(this.options.Permutations, this.options.Seed);
    }

    public ulong[] Signature(string text) =>
        hasher.Signature(Shingles.Of(TextNormalizer.Normalize(text), options.ShingleSize, options.WordShingles));

    /// <summary>
    /// The clusters of two or more among <paramref name="items"/> (key, text); each cluster is identified by its
    /// smallest key, so ids stay stable while that member stays. Items without a near-duplicate are absent.
    /// </summary>
    public Dictionary<long, long> Cluster(IReadOnlyList<(long Key, string Text)> items)
    {
        var signatures = items.Select(i => Signature(i.Text)).ToArray();
        var parent = Enumerable.Range(0, items.Count).ToArray();
        int Find(int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }

        var rows = options.Permutations / options.Bands;
        var checkedPairs = new HashSet<(int, int)>();
        for (var band = 0; band < options.Bands; band++)
        {
            var buckets = new Dictionary<BandKey, List<int>>();
            for (var i = 0; i < items.Count; i++)
            {
                if (signatures[i][0] == ulong.MaxValue) continue; // empty text: nothing to compare
                var key = new BandKey(signatures[i], band * rows, rows);
                if (!buckets.TryGetValue(key, out var bucket)) buckets[key] = bucket = [];
                bucket.Add(i);
            }
            foreach (var bucket in buckets.Values)
            {
                for (var x = 0; x < bucket.Count; x++)
                for (var y = x + 1; y < bucket.Count; y++)
                {
                    int i = bucket[x], j = bucket[y];
                    if (Find(i) == Find(j) || !checkedPairs.Add((i, j))) continue;
                    if (MinHasher.EstimateJaccard(signatures[i], signatures[j]) >= options.Threshold) parent[Find(i)] = Find(j);
                }
            }
        }

        var members = Enumerable.Range(0, items.Count).GroupBy(Find).Where(g => g.Count() > 1);
        var clusterOf = new Dictionary<long, long>();
        foreach (var group in members)
        {
            var id = group.Min(i => items[i].Key);
            foreach (var i in group) clusterOf[items[i].Key] = id;
        }
        return clusterOf;
    }

    /// <summary>One band of a signature as a dictionary key (compares the band's values, not the array).</summary>
    readonly struct BandKey(ulong[] signature, int start, int length) : IEquatable<BandKey>
    {
        readonly ulong[] signature = signature;
        readonly int start = start;
        readonly int length = length;
        public bool Equals(BandKey other) =>
            signature.AsSpan(start, length).SequenceEqual(other.signature.AsSpan(other.start, other.length));
        public override bool Equals(object? obj) => obj is BandKey other && Equals(other);
        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var v in signature.AsSpan(start, length)) hash.Add(v);
            return hash.ToHashCode();
        }
    }
}
