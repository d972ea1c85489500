using ChatPlatform.Torch;

namespace ChatPlatform.Torch.Tests;

/// <summary>Autocast on the CPU (the same engine code path as CUDA's, with the CPU's dispatch key).</summary>
public sealed class AutocastTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    [Fact]
    public void MatrixProductsRunInBfloat16InsideAndFloat32Outside()
    {
        var a = torch.randn([16, 32]);
        var b = torch.randn([32, 8]);
        var w = torch.randn([8, 32]);
        var exact = a.matmul(b);
        Assert.False(torch.is_autocast_enabled(DeviceType.CPU));
        using (torch.autocast(Device.CPU))
        {
            Assert.True(torch.is_autocast_enabled(DeviceType.CPU));
            var product = a.matmul(b);
            Assert.Equal(ScalarType.BFloat16, product.dtype);
            Assert.Equal(ScalarType.BFloat16, torch.nn.functional.linear(a, w).dtype);
            // bfloat16 keeps 8 bits of mantissa: close to the float32 product, not equal to it.
            var error = (product.to(ScalarType.Float32) - exact).abs().max().item<float>();
            Assert.InRange(error, 1e-6f, 0.5f);
            Assert.Equal(ScalarType.Float32, a.dtype);   // inputs are not changed
        }
        Assert.False(torch.is_autocast_enabled(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, a.matmul(b).dtype);
    }

    [Fact]
    public void NestedRegionsRestoreTheOuterState()
    {
        using (torch.autocast(Device.CPU))
        {
            using (torch.autocast(Device.CPU, ScalarType.BFloat16)) { }
            Assert.True(torch.is_autocast_enabled(DeviceType.CPU));
        }
        Assert.False(torch.is_autocast_enabled(DeviceType.CPU));
    }

    [Fact]
    public void GradientsReachFloat32WeightsThroughBfloat16Products()
    {
        var w = torch.randn([8, 32]).requires_grad_();
        var x = torch.randn([4, 32]);
        Tensor loss;
        using (torch.autocast(Device.CPU))
            loss = torch.nn.functional.linear(x, w).to(ScalarType.Float32).pow(2).sum();
        loss.backward();
        Assert.Equal(ScalarType.Float32, w.grad!.dtype);
        // d/dW Σ (x·Wᵀ)² = 2 (x·Wᵀ)ᵀ x, within bfloat16 precision of the float32 value.
        var expected = (torch.nn.functional.linear(x, w.detach()) * 2).t().matmul(x);
        var relative = ((w.grad - expected).abs().max() / expected.abs().max()).item<float>();
        Assert.True(relative < 0.05, $"relative gradient error {relative}");
    }

    [Fact]
    public void OnlyHalfPrecisionTypesAreAccepted() =>
        Assert.Throws<TorchException>(() => torch.autocast(Device.CPU, ScalarType.Float64));
}
