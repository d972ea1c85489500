namespace ChatPlatform.Core.Dedup;

/// <summary>How near-duplicates are found.</summary>
/// <param name="Threshold">Estimated Jaccard similarity at or above which two examples share a cluster (default 0.8).</param>
/// <param name="Permutations">MinHash signature length (default 128: standard error of the estimate ≤ 0.045).</param>
/// <param name="Bands">LSH bands; Permutations / Bands rows each. 32×4 makes pairs at J=0.8 candidates with
/// probability ≈ 1 and pairs at J=0.3 with ≈ 0.23; candidates are then checked against <see cref="Threshold"/>.</param>
/// <param name="ShingleSize">Shingle length: characters, or words when <see cref="WordShingles"/> (default 5 characters,
/// which also catches short rewordings that word 5-shingles miss).</param>
/// <param name="Seed">Seed of the permutations: signatures are comparable only with the same seed.</param>
public sealed record NearDuplicateOptions(
    double Threshold = 0.8,
    int Permutations = 128,
    int Bands = 32,
    int ShingleSize = 5,
    bool WordShingles = false,
    int Seed = 1)
{
    public void Validate()
    {
        if (Threshold is <= 0 or > 1) throw new ArgumentException($"near-duplicate threshold must be in (0, 1], got {Threshold}");
        if (Permutations <= 0 || Bands <= 0 || Permutations % Bands != 0)
            throw new ArgumentException($"permutations ({Permutations}) must be a positive multiple of bands ({Bands})");
        if (ShingleSize <= 0) throw new ArgumentException($"shingle size must be positive, got {ShingleSize}");
    }
}
