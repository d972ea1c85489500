namespace ChatPlatform.Torch.Tests;

public sealed class CreationAndDtypeTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    [Fact]
    public void FactoriesFillAsAsked()
    {
        Assert.Equal(new float[] { 0, 0, 0, 0 }, torch.zeros([2, 2]).data<float>());
        Assert.Equal(new long[] { 1, 1 }, torch.ones([2], ScalarType.Int64).data<long>());
        Assert.Equal(new double[] { 2.5, 2.5, 2.5 }, torch.full([3], 2.5, ScalarType.Float64).data<double>());
        Assert.Equal(new long[] { 0, 1, 2, 3 }, torch.arange(4).data<long>());
        Assert.Equal(new float[] { 1, 1.5f, 2, 2.5f }, torch.arange(1, 3, 0.5, ScalarType.Float32).data<float>());
        var empty = torch.empty([0, 3]);
        Assert.Equal(0, empty.numel());
        Assert.Equal(new long[] { 0, 3 }, empty.shape);
        var s = torch.scalar_tensor(3.5);
        Assert.Equal(0, s.dim());
        Assert.Equal(3.5, s.item<double>());
    }

    [Fact]
    public void EveryRequiredDtypeRoundTripsFromManagedMemory()
    {
        Assert.Equal(new[] { 1.5f, -2 }, torch.tensor(new[] { 1.5f, -2 }).data<float>());
        Assert.Equal(new[] { 1.5, -2 }, torch.tensor(new[] { 1.5, -2 }).data<double>());
        Assert.Equal(new long[] { long.MaxValue, -1 }, torch.tensor(new[] { long.MaxValue, -1 }).data<long>());
        Assert.Equal(new[] { int.MinValue, 7 }, torch.tensor(new[] { int.MinValue, 7 }).data<int>());
        Assert.Equal(new byte[] { 0, 255 }, torch.tensor(new byte[] { 0, 255 }).data<byte>());
        Assert.Equal(new[] { true, false }, torch.tensor(new[] { true, false }).data<bool>());
        Assert.Equal(new[] { (Half)0.5, (Half)(-3) }, torch.tensor(new[] { (Half)0.5, (Half)(-3) }).data<Half>());
    }

    [Fact]
    public void Bfloat16FromRawBytesIsTheTopHalfOfFloat32()
    {
        // bf16 is float32 with the low 16 mantissa bits dropped: 1.5f = 0x3FC00000 → 0x3FC0; -2f = 0xC0000000 → 0xC000.
        byte[] raw = [0xC0, 0x3F, 0x00, 0xC0];
        var bf = torch.frombuffer(raw, [2], ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf.dtype);
        Assert.Equal(new[] { 1.5f, -2f }, bf.to(ScalarType.Float32).data<float>());
        var back = new byte[4];
        bf.CopyBytesTo(back);
        Assert.Equal(raw, back);
        // float32 → bf16 rounds to nearest even: 1.00390625 (0x3F808000) is a tie that rounds down to 1.0
        Assert.Equal(new[] { 1f }, torch.tensor(new[] { 1.00390625f }).to(ScalarType.BFloat16).to(ScalarType.Float32).data<float>());
    }

    [Fact]
    public void ConversionsChangeDtypeAndKeepValues()
    {
        var x = torch.tensor(new[] { 1.75f, -2.25f });
        Assert.Equal(new long[] { 1, -2 }, x.to(ScalarType.Int64).data<long>());
        Assert.Equal(new[] { 1.75, -2.25 }, x.to(ScalarType.Float64).data<double>());
        Assert.Equal(new[] { (Half)1.75, (Half)(-2.25) }, x.to(ScalarType.Float16).data<Half>());
        Assert.Equal(Device.CPU.Type, x.to(Device.CPU).device.Type);
        Assert.Throws<ArgumentException>(() => x.data<double>());
    }

    [Fact]
    public void DataSizeMismatchIsAnError()
    {
        var ex = Assert.Throws<TorchException>(() => torch.frombuffer(new byte[6], [2], ScalarType.Float32));
        Assert.Contains("6 bytes", ex.Message);
    }

    [Fact]
    public void CloneIsIndependentAndDetachSharesStorage()
    {
        var x = torch.tensor(new[] { 1f, 2f });
        var c = x.clone();
        var d = x.detach();
        x.add_(10);
        Assert.Equal(new[] { 1f, 2f }, c.data<float>());
        Assert.Equal(new[] { 11f, 12f }, d.data<float>());
    }

    [Fact]
    public void SeedsMakeRandomnessReproducible()
    {
        torch.manual_seed(123);
        var a = torch.randn([5]).data<float>();
        torch.manual_seed(123);
        var b = torch.randn([5]).data<float>();
        Assert.Equal(a, b);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);
        Assert.Equal(torch.rand([4], generator: g1).data<float>(), torch.rand([4], generator: g2).data<float>());
        var r = torch.rand([10000]).data<float>();
        Assert.All(r, v => Assert.InRange(v, 0f, 1f));
        var n = torch.randn([20000]).data<float>();
        Assert.InRange(n.Average(), -0.05, 0.05);
        Assert.InRange(Math.Sqrt(n.Select(v => (double)v * v).Average()), 0.95, 1.05);
    }

    [Fact]
    public void RngStateRestoresTheSameRandomSequence()
    {
        torch.manual_seed(11);
        torch.rand([3]);
        var state = torch.get_rng_state();
        var first = torch.nn.functional.dropout(torch.ones([64]), 0.5).data<float>();
        torch.rand([100]);   // move on
        torch.set_rng_state(state);
        Assert.Equal(first, torch.nn.functional.dropout(torch.ones([64]), 0.5).data<float>());
        using var g = new Generator(3);
        var saved = g.get_state();
        var a = torch.randn([4], generator: g).data<float>();
        g.set_state(saved);
        Assert.Equal(a, torch.randn([4], generator: g).data<float>());
    }

    [Fact]
    public void MultinomialFollowsTheWeightsAndItsGenerator()
    {
        using var g = new Generator(1);
        var certain = torch.tensor(new[] { 0f, 0f, 1f });
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(2, torch.multinomial(certain, 1, generator: g).item<long>()));
        var probs = torch.tensor(new[] { 0.25f, 0.75f });
        var draws = torch.multinomial(probs, 20000, replacement: true, generator: g).data<long>();
        Assert.InRange(draws.Count(d => d == 1) / 20000.0, 0.73, 0.77);
        g.manual_seed(5);
        var first = torch.multinomial(probs, 50, true, g).data<long>();
        g.manual_seed(5);
        Assert.Equal(first, torch.multinomial(probs, 50, true, g).data<long>());
    }

    [Fact]
    public void DropoutZeroesAndRescalesOnlyInTraining()
    {
        torch.manual_seed(3);
        var x = torch.ones([10000]);
        Assert.Equal(x.data<float>(), torch.nn.functional.dropout(x, 0.5, training: false).data<float>());
        var y = torch.nn.functional.dropout(x, 0.5).data<float>();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(y.Count(v => v == 0f) / 10000.0, 0.47, 0.53);
    }

    [Fact]
    public void CudaReportsNoDevicesOnACpuBuild()
    {
        if (torch.cuda.is_available())
        {
            Assert.True(torch.cuda.device_count() > 0);
            return;
        }
        Assert.Equal(0, torch.cuda.device_count());
        Assert.Throws<TorchException>(() => torch.cuda.memory_stats());
        var ex = Assert.ThrowsAny<Exception>(() => torch.zeros([1], device: Device.CUDA));
        Assert.IsType<TorchException>(ex);
    }

    [Fact]
    public void DeviceParsesConfigurationSpellings()
    {
        Assert.Equal(Device.CPU, Device.Parse("cpu"));
        Assert.Equal(new Device(DeviceType.CUDA, 1), Device.Parse("CUDA:1"));
        Assert.Throws<FormatException>(() => Device.Parse("tpu"));
    }

    [Fact]
    public void BlasDetectionNamesTheLibraryLibtorchUses()
    {
        var blas = BlasInfo.Detect();
        // Debian's libtorch resolves libblas.so.3 through the alternatives system; setup installs OpenBLAS.
        Assert.NotNull(blas.LibraryPath);
        Assert.Contains(blas.Kind, new[] { "openblas", "reference", "mkl", "blis" });
        Assert.Equal(blas.Kind == "reference", blas.Warning is not null);
    }

    [Fact]
    public void ThreadCountCanBeSetAndRestored()
    {
        var before = torch.get_num_threads();
        torch.set_num_threads(2);
        Assert.Equal(2, torch.get_num_threads());
        torch.set_num_threads(before);
        Assert.Equal(before, torch.get_num_threads());
        Assert.Throws<TorchException>(() => torch.set_num_threads(0));
    }
}
