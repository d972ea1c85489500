namespace ChatPlatform.Torch.Tests;

/// <summary>Element-wise comparison with an absolute + relative tolerance, reporting the first mismatch.</summary>
internal static class Approx
{
    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var limit = tolerance * (1 + Math.Abs(expected[i]));
            if (double.IsNaN(expected[i]) && double.IsNaN(actual[i])) continue;
            if (!(Math.Abs(expected[i] - actual[i]) <= limit))
                Assert.Fail($"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {limit:G3})");
        }
    }

    public static void Equal(IReadOnlyList<float> expected, Tensor actual, double tolerance = 1e-5) =>
        Equal(expected.Select(x => (double)x).ToArray(), Values(actual), tolerance);

    public static void Equal(IReadOnlyList<double> expected, Tensor actual, double tolerance = 1e-5) =>
        Equal(expected, Values(actual), tolerance);

    /// <summary>The tensor's elements as doubles, whatever its floating dtype.</summary>
    public static double[] Values(Tensor t)
    {
        using var d = t.to(ScalarType.Float64, Device.CPU);
        return d.data<double>();
    }
}
