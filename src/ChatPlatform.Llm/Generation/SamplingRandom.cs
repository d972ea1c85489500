using System.Security.Cryptography;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// A request's own random numbers for sampling: SplitMix64 (Steele, Lea and Flood 2014), seeded by the request's seed
/// or at random. Host-side and one per request, so a batch draws every row's token in one engine pass while a seeded
/// request still gets the same tokens as alone, on any device and any .NET version.
/// </summary>
public sealed class SamplingRandom(long seed)
{
    private ulong state = unchecked((ulong)seed);

    public static SamplingRandom For(SamplingOptions sampling) =>
        new(sampling.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue));

    /// <summary>Uniform in the open interval (0, 1): never 0, so a draw can never land on a token of probability 0.</summary>
    public double NextUniform()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 11) + 0.5) * (1.0 / (1UL << 53));
    }
}
