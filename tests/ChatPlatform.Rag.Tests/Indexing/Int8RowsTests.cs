using System.Numerics.Tensors;
using ChatPlatform.Rag.Indexing;

namespace ChatPlatform.Rag.Tests.Indexing;

/// <summary>The int8 pre-scan is only sound if its interval always holds the float score the exact scan computes.</summary>
public class Int8RowsTests
{
    private static float[] Unit(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        return v.Select(x => x / norm).ToArray();
    }

    [Fact]
    public void Integer_dot_product_matches_a_scalar_loop_at_every_length_and_the_extremes()
    {
        var random = new Random(3);
        for (var n = 1; n <= 100; n++)
        {
            var row = Enumerable.Range(0, n).Select(i => (sbyte)(i % 3 == 0 ? -127 : random.Next(-127, 128))).ToArray();
            var query = Enumerable.Range(0, n).Select(i => (short)(i % 3 == 0 ? -127 : random.Next(-127, 128))).ToArray();
            long expected = 0;
            for (var i = 0; i < n; i++) expected += row[i] * query[i];
            Assert.Equal(expected, Int8Rows.Dot(row, query));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(24)]
    [InlineData(384)]
    [InlineData(1024)]
    public void The_interval_holds_the_exact_float_score_of_random_and_skewed_rows(int dim)
    {
        var random = new Random(dim);
        var rows = new Int8Rows();
        const int count = 300;
        rows.Reserve(count, dim);
        var vectors = new float[count][];
        for (var r = 0; r < count; r++)
        {
            var v = Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            if (r % 3 == 0) v[random.Next(dim)] *= 50;        // one dominant component: a coarse scale for the rest
            if (r % 5 == 0) v = v.Select(x => x * x * x).ToArray();  // heavy tails
            vectors[r] = Unit(v);
            rows.Set(r, vectors[r]);
        }
        var widest = 0f;
        for (var t = 0; t < 20; t++)
        {
            var query = Unit(Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
            var prepared = rows.Prepare(query);
            for (var r = 0; r < count; r++)
            {
                var exact = TensorPrimitives.Dot(query, vectors[r]);
                var (estimate, bound) = rows.Estimate(r, prepared);
                Assert.InRange(exact, estimate - bound, estimate + bound);
                widest = Math.Max(widest, bound);
            }
        }
        if (dim >= 24) Assert.True(widest < 0.25f, $"bound {widest} too wide to prune anything");
    }

    /// <summary>
    /// A query pointing along a row's own rounding error v − s·c is the Cauchy–Schwarz worst case: the estimate misses
    /// by the whole ||v − s·c||, so a bound without that term (or with a smaller one) fails here.
    /// </summary>
    [Fact]
    public void A_query_along_a_rows_rounding_error_meets_the_worst_case()
    {
        const int dim = 64;
        var random = new Random(11);
        var v = Unit(Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
        var scale = v.Max(Math.Abs) / 127f;
        var error = v.Select(x => x - scale * MathF.Round(x / scale)).ToArray();
        var query = Unit(error);
        var rows = new Int8Rows();
        rows.Reserve(1, dim);
        rows.Set(0, v);
        var (estimate, bound) = rows.Estimate(0, rows.Prepare(query));
        var exact = TensorPrimitives.Dot(query, v);
        Assert.InRange(exact, estimate - bound, estimate + bound);
        Assert.True(Math.Abs(exact - estimate) > 0.5f * bound, $"miss {Math.Abs(exact - estimate)} vs bound {bound}");
    }
}
