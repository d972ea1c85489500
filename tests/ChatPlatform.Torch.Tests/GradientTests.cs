namespace ChatPlatform.Torch.Tests;

/// <summary>Autograd's gradients against central finite differences in float64 (independent of autograd).</summary>
public sealed class GradientTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();
    private readonly Generator generator = new(2024);

    public void Dispose()
    {
        scope.Dispose();
        generator.Dispose();
    }

    private Tensor Randn(params long[] shape) => torch.randn(shape, ScalarType.Float64, generator: generator);

    /// <summary>Checks d f(x) / dx at x0 for a scalar-valued f.</summary>
    private static void CheckGradient(Func<Tensor, Tensor> f, Tensor x0, double tolerance = 1e-6)
    {
        var x = x0.clone().requires_grad_();
        f(x).backward();
        var analytic = x.grad!.data<double>();

        var values = x0.data<double>();
        var numeric = new double[values.Length];
        const double h = 1e-6;
        using (torch.no_grad())
        {
            for (var i = 0; i < values.Length; i++)
            {
                var plus = (double[])values.Clone();
                var minus = (double[])values.Clone();
                plus[i] += h;
                minus[i] -= h;
                using var inner = torch.NewDisposeScope();
                numeric[i] = (f(torch.tensor(plus, x0.shape)).item<double>() - f(torch.tensor(minus, x0.shape)).item<double>()) / (2 * h);
            }
        }
        Approx.Equal(numeric, analytic, tolerance);
        Assert.Contains(numeric, v => Math.Abs(v) > 1e-3);  // the check is not vacuous
    }

    [Fact]
    public void MatmulGradientsMatchFiniteDifferences()
    {
        var w = Randn(4, 3);
        var c = Randn(2, 3);
        var x0 = Randn(2, 4);
        CheckGradient(x => (x.matmul(w) * c).sum(), x0);
        CheckGradient(wv => (x0.matmul(wv) * c).sum(), w);
    }

    [Fact]
    public void SoftmaxGradientMatchesFiniteDifferences()
    {
        var c = Randn(3, 5);
        CheckGradient(x => (x.softmax(-1) * c).sum(), Randn(3, 5));
        CheckGradient(x => (x.log_softmax(-1) * c).sum(), Randn(3, 5));
    }

    [Fact]
    public void ComposedRmsNormGradientMatchesFiniteDifferences()
    {
        // RMSNorm(x) = x / √(mean(x²) + ε) · w, the Llama normalisation, built from engine ops.
        var w = Randn(6);
        var c = Randn(2, 6);
        Tensor RmsNorm(Tensor x) => x * (x.square().mean(-1, keepdim: true) + 1e-6).rsqrt() * w;
        CheckGradient(x => (RmsNorm(x) * c).sum(), Randn(2, 6));
    }

    [Fact]
    public void FusedRmsNormMatchesTheComposedOneAndItsGradients()
    {
        var w = Randn(6);
        var c = Randn(2, 6);
        var x = Randn(2, 6);
        Approx.Equal(Approx.Values(x * (x.square().mean(-1, keepdim: true) + 1e-6).rsqrt() * w),
            torch.nn.functional.rms_norm(x, w, 1e-6), 1e-12);
        CheckGradient(v => (torch.nn.functional.rms_norm(v, w, 1e-6) * c).sum(), x);
        CheckGradient(wv => (torch.nn.functional.rms_norm(x, wv, 1e-6) * c).sum(), w);
    }

    [Fact]
    public void RotaryEmbeddingGradientMatchesFiniteDifferences()
    {
        var cos = Randn(1, 1, 3, 4);
        var sin = Randn(1, 1, 3, 4);
        var c = Randn(1, 2, 3, 4);
        CheckGradient(x => (torch.nn.functional.rotary_embedding(x, cos, sin) * c).sum(), Randn(1, 2, 3, 4));
    }

    [Fact]
    public void SingleRowLinearGradientsMatchFiniteDifferences()
    {
        // One row takes the matrix-vector path in the shim; its gradients must be those of the general one.
        var w = Randn(5, 4);
        var b = Randn(5);
        var c = Randn(1, 1, 5);
        CheckGradient(x => (torch.nn.functional.linear(x, w, b) * c).sum(), Randn(1, 1, 4));
        var row = Randn(1, 4);
        CheckGradient(wv => (torch.nn.functional.linear(row, wv, b) * c.view(1, 5)).sum(), w);
    }

    [Fact]
    public void CrossEntropyGradientMatchesFiniteDifferencesAndIgnoresMaskedRows()
    {
        var targets = torch.tensor(new long[] { 3, -100, 0, 2 });
        var x0 = Randn(4, 5);
        CheckGradient(x => torch.nn.functional.cross_entropy(x, targets), x0);
        var x = x0.clone().requires_grad_();
        torch.nn.functional.cross_entropy(x, targets).backward();
        Assert.All(x.grad!.select(0, 1).data<double>(), g => Assert.Equal(0.0, g));  // the ignored row gets no gradient
    }

    [Fact]
    public void AttentionGradientsMatchFiniteDifferences()
    {
        var q = Randn(1, 2, 3, 4);
        var k = Randn(1, 2, 3, 4);
        var v = Randn(1, 2, 3, 4);
        var c = Randn(1, 2, 3, 4);
        Tensor Attend(Tensor qq, Tensor kk, Tensor vv) =>
            (torch.nn.functional.scaled_dot_product_attention(qq, kk, vv, isCausal: true) * c).sum();
        CheckGradient(x => Attend(x, k, v), q);
        CheckGradient(x => Attend(q, x, v), k);
        CheckGradient(x => Attend(q, k, x), v);
    }

    [Fact]
    public void GradientsAccumulateUntilCleared()
    {
        var x = torch.tensor(new[] { 1.0, 2.0 }).requires_grad_();
        Assert.Null(x.grad);  // undefined gradient is null, not an error
        (x * x).sum().backward();
        (x * x).sum().backward();
        Assert.Equal(new[] { 4.0, 8.0 }, x.grad!.data<double>());   // 2·(2x)
        x.grad = null;
        Assert.Null(x.grad);
        Assert.True(x.is_leaf);
        Assert.False((x * 2).is_leaf);
        Assert.False(x.detach().requires_grad);
    }

    [Fact]
    public void NoGradAndInferenceModeRecordNothingAndRestoreTheMode()
    {
        var x = torch.tensor(new[] { 1.0 }).requires_grad_();
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (torch.enable_grad()) Assert.True((x * 2).requires_grad);
        }
        Assert.True(torch.is_grad_enabled());
        using (torch.inference_mode())
        {
            Assert.False((x * 2).requires_grad);
        }
        Assert.True((x * 2).requires_grad);
    }
}
