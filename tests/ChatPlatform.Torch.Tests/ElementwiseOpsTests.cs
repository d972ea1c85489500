namespace ChatPlatform.Torch.Tests;

/// <summary>Element-wise ops against values computed by hand or with System.Math.</summary>
public sealed class ElementwiseOpsTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    private static Tensor T(params float[] values) => torch.tensor(values);

    [Fact]
    public void ArithmeticBroadcastsLikePyTorch()
    {
        var column = torch.tensor(new float[] { 1, 2 }, [2, 1]);
        var row = torch.tensor(new float[] { 10, 20, 30 }, [1, 3]);
        var sum = column + row;
        Assert.Equal(new long[] { 2, 3 }, sum.shape);
        Assert.Equal(new float[] { 11, 21, 31, 12, 22, 32 }, sum.data<float>());
        Assert.Equal(new float[] { -9, -19, -29, -8, -18, -28 }, (column - row).data<float>());
        Assert.Equal(new float[] { 10, 20, 30, 20, 40, 60 }, (column * row).data<float>());
        Assert.Equal(new float[] { 0.1f, 0.05f, 1 / 30f, 0.2f, 0.1f, 2 / 30f }, (column / row).data<float>());
    }

    [Fact]
    public void ScalarOperandsWorkOnEitherSide()
    {
        var x = T(1, 2, 4);
        Assert.Equal(new float[] { 3, 4, 6 }, (x + 2).data<float>());
        Assert.Equal(new float[] { 1, 0, -2 }, (2 - x).data<float>());
        Assert.Equal(new float[] { -1, 0, 2 }, (x - 2).data<float>());
        Assert.Equal(new float[] { 3, 6, 12 }, (3 * x).data<float>());
        Assert.Equal(new float[] { 0.5f, 1, 2 }, (x / 2).data<float>());
        Assert.Equal(new float[] { 4, 2, 1 }, (4 / x).data<float>());
        Assert.Equal(new float[] { -1, -2, -4 }, (-x).data<float>());
    }

    [Fact]
    public void IntegerTensorsKeepIntegerArithmeticAndPromoteWithFloats()
    {
        var i = torch.tensor(new long[] { 1, 2, 3 });
        using var plusInt = i + 1;
        Assert.Equal(ScalarType.Int64, plusInt.dtype);
        Assert.Equal(new long[] { 2, 3, 4 }, plusInt.data<long>());
        using var plusFloat = i + 0.5;
        Assert.Equal(ScalarType.Float32, plusFloat.dtype);
        Assert.Equal(new float[] { 1.5f, 2.5f, 3.5f }, plusFloat.data<float>());
    }

    [Fact]
    public void TranscendentalFunctionsMatchSystemMath()
    {
        double[] xs = [0.1, 0.5, 1.0, 2.0, 3.7];
        var x = torch.tensor(xs);
        Approx.Equal(xs.Select(Math.Exp).ToArray(), x.exp(), 1e-12);
        Approx.Equal(xs.Select(v => Math.Log(v)).ToArray(), x.log(), 1e-12);
        Approx.Equal(xs.Select(v => Math.Sqrt(v)).ToArray(), x.sqrt(), 1e-12);
        Approx.Equal(xs.Select(v => 1 / Math.Sqrt(v)).ToArray(), x.rsqrt(), 1e-12);
        Approx.Equal(xs.Select(v => Math.Tanh(v)).ToArray(), x.tanh(), 1e-12);
        Approx.Equal(xs.Select(v => Math.Pow(v, 2.5)).ToArray(), x.pow(2.5), 1e-12);
        Approx.Equal(xs.Select(v => v * v).ToArray(), x.square(), 1e-12);
        Approx.Equal(xs.Select(v => Math.Sin(v)).ToArray(), x.sin(), 1e-12);
        Approx.Equal(xs.Select(v => Math.Cos(v)).ToArray(), x.cos(), 1e-12);
        Approx.Equal(xs.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), x.sigmoid(), 1e-12);
        Approx.Equal(xs.Select(v => v / (1 + Math.Exp(-v))).ToArray(), x.silu(), 1e-12);
    }

    [Fact]
    public void ErfAndGeluMatchTabulatedValues()
    {
        // erf from Abramowitz & Stegun tables; GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2)).
        var x = torch.tensor(new double[] { -1, 0, 0.5, 1, 2 });
        Approx.Equal(new[] { -0.8427007929497149, 0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527 }, x.erf(), 1e-12);
        Approx.Equal(new[] { -0.15865525393145707, 0, 0.34573123063700656, 0.8413447460685429, 1.9544997361036416 },
            torch.nn.functional.gelu(x), 1e-12);
        // tanh approximation: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))
        var tanhForm = new[] { -1.0, 0, 0.5, 1, 2 }.Select(v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))).ToArray();
        Approx.Equal(tanhForm, torch.nn.functional.gelu(x, tanhApproximation: true), 1e-12);
    }

    [Fact]
    public void ComparisonsAndLogicalOpsGiveBoolTensors()
    {
        var a = T(1, 2, 3);
        var b = T(3, 2, 1);
        var lt = a.lt(b);
        Assert.Equal(ScalarType.Bool, lt.dtype);
        Assert.Equal(new[] { true, false, false }, lt.data<bool>());
        Assert.Equal(new[] { false, true, false }, a.eq(b).data<bool>());
        Assert.Equal(new[] { true, false, true }, a.ne(b).data<bool>());
        Assert.Equal(new[] { false, true, true }, a.ge(2).data<bool>());
        Assert.Equal(new[] { true, false, false }, a.lt(b).logical_and(a.le(1)).data<bool>());
        Assert.Equal(new[] { true, false, true }, a.lt(2).logical_or(a.gt(2)).data<bool>());
        Assert.Equal(new[] { false, true, true }, a.lt(2).logical_not().data<bool>());
        Assert.Equal(new float[] { 3, 2, 3 }, a.maximum(b).data<float>());
        Assert.Equal(new float[] { 1, 2, 1 }, a.minimum(b).data<float>());
        Assert.Equal(new float[] { 1.5f, 2, 2.5f }, T(1, 2, 3).clamp(1.5, 2.5).data<float>());
    }

    [Fact]
    public void NonFiniteValuesAreDetected()
    {
        var x = T(1, float.NaN, float.PositiveInfinity, -2);
        Assert.Equal(new[] { true, false, false, true }, x.isfinite().data<bool>());
        Assert.Equal(new[] { false, true, false, false }, x.isnan().data<bool>());
        Assert.False(x.isfinite().all().item<bool>());
        Assert.True(x.isnan().any().item<bool>());
    }

    [Fact]
    public void MaskedFillWhereAndTriangles()
    {
        var x = torch.arange(1, 10, 1, ScalarType.Float32).reshape(3, 3);
        Assert.Equal(new float[] { 1, 2, 3, 0, 5, 6, 0, 0, 9 }, x.triu().data<float>());
        Assert.Equal(new float[] { 0, 2, 3, 0, 0, 6, 0, 0, 0 }, x.triu(1).data<float>());
        Assert.Equal(new float[] { 1, 0, 0, 4, 5, 0, 7, 8, 9 }, x.tril().data<float>());
        var mask = x.gt(5);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, -1, -1, -1, -1 }, x.masked_fill(mask, -1).data<float>());
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 6, 7, 8, 9 }, torch.where(mask, x, torch.zeros_like(x)).data<float>());
        x.masked_fill_(x.lt(3), float.NegativeInfinity);
        Assert.Equal(float.NegativeInfinity, x.data<float>()[1]);
    }

    [Fact]
    public void InPlaceUpdatesChangeTheTensorItself()
    {
        var p = T(1, 2, 3);
        p.add_(T(1, 1, 1), 0.5).mul_(2);
        Assert.Equal(new float[] { 3, 5, 7 }, p.data<float>());
        p.addcmul_(T(1, 2, 3), T(2, 2, 2), 0.5);   // p + 0.5·t1·t2
        Assert.Equal(new float[] { 4, 7, 10 }, p.data<float>());
        p.addcdiv_(T(4, 4, 4), T(2, 4, 8), -1);    // p − t1/t2
        Assert.Equal(new float[] { 2, 6, 9.5f }, p.data<float>());
        p.lerp_(T(0, 0, 0), 0.5);
        Assert.Equal(new float[] { 1, 3, 4.75f }, p.data<float>());
        p.copy_(T(9, 8, 7));
        Assert.Equal(new float[] { 9, 8, 7 }, p.data<float>());
        p.zero_().add_(1.5);
        Assert.Equal(new float[] { 1.5f, 1.5f, 1.5f }, p.data<float>());
        p.fill_(4).div_(T(2, 4, 8));
        Assert.Equal(new float[] { 2, 1, 0.5f }, p.data<float>());
    }
}
