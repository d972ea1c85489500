namespace ChatPlatform.Torch.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void TwoThreadsInferringAtOnceMatchSerialResults()
    {
        using var model = new TinyMlp(32, 128, 16, seed: 5);
        float[][] Run(int seed)
        {
            var outputs = new float[200][];
            using var g = new Generator(seed);
            using var _ = torch.inference_mode();
            for (var i = 0; i < outputs.Length; i++)
            {
                using var scope = torch.NewDisposeScope();
                outputs[i] = model.forward(torch.randn([4, 32], generator: g)).softmax(-1).data<float>();
            }
            return outputs;
        }

        var serial = new[] { Run(1), Run(2) };
        var parallel = new float[2][][];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() => parallel[i] = Run(i + 1))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (var t = 0; t < 2; t++)
            for (var i = 0; i < serial[t].Length; i++)
                Assert.Equal(serial[t][i], parallel[t][i]);
        Assert.NotEqual(serial[0][0], serial[1][0]);
    }

    [Fact]
    public void GradModeIsPerThread()
    {
        using var _ = torch.no_grad();
        var otherThreadMode = true;
        var t = new Thread(() => otherThreadMode = torch.is_grad_enabled());
        t.Start();
        t.Join();
        Assert.True(otherThreadMode);
        Assert.False(torch.is_grad_enabled());
    }
}
