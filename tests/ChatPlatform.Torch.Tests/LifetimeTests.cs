using System.Globalization;

namespace ChatPlatform.Torch.Tests;

/// <summary>Dispose scopes, native handle accounting and flat memory over long loops.</summary>
[Collection(nameof(LifetimeTests))]  // handle counts are process-wide: no other test class runs beside these
[CollectionDefinition(nameof(LifetimeTests), DisableParallelization = true)]
public sealed class LifetimeTests
{
    [Fact]
    public void ScopeFreesTemporariesAndKeepsWhatIsMovedOut()
    {
        var baseline = torch.LiveTensorHandles;
        Tensor kept;
        Tensor detached;
        using (var scope = torch.NewDisposeScope())
        {
            var a = torch.ones([3]);
            var b = a * 2 + 1;
            kept = scope.MoveToOuter(b.sum());
            detached = scope.Detach(a.clone());
            Assert.True(torch.LiveTensorHandles >= baseline + 5);
        }
        Assert.Equal(baseline + 2, torch.LiveTensorHandles);
        Assert.Equal(9, kept.item<float>());
        Assert.False(detached.IsDisposed);
        kept.Dispose();
        detached.Dispose();
        Assert.Equal(baseline, torch.LiveTensorHandles);
    }

    [Fact]
    public void NestedScopesHandResultsOutward()
    {
        var baseline = torch.LiveTensorHandles;
        using (var outer = torch.NewDisposeScope())
        {
            Tensor fromInner;
            using (var inner = torch.NewDisposeScope())
            {
                fromInner = inner.MoveToOuter(torch.ones([2]) * 3);
                Assert.Same(inner, DisposeScope.Current);
            }
            Assert.Same(outer, DisposeScope.Current);
            Assert.False(fromInner.IsDisposed);
            Assert.Equal(new float[] { 3, 3 }, fromInner.data<float>());
        }
        Assert.Null(DisposeScope.Current);
        Assert.Equal(baseline, torch.LiveTensorHandles);
    }

    [Fact]
    public void DisposingScopesOutOfOrderIsRefused()
    {
        var outer = torch.NewDisposeScope();
        var inner = torch.NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
        Assert.Null(DisposeScope.Current);
    }

    [Fact]
    public void TrainingLoopRunsWithFlatNativeMemory()
    {
        using var model = new TinyMlp(16, 32, 4, seed: 1);
        using var optimizer = new torch.optim.AdamW(model.parameters(), lr: 1e-3);
        using var x = torch.randn([8, 16]);
        using var y = torch.tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });

        void Step()
        {
            using var scope = torch.NewDisposeScope();
            var loss = torch.nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0);
            optimizer.step();
            optimizer.zero_grad();
        }

        for (var i = 0; i < 1000; i++) Step();   // warm-up: allocator pools, JIT, optimizer state
        GC.Collect();
        var handles = torch.LiveTensorHandles;
        var rssBefore = ResidentBytes();
        for (var i = 0; i < 20_000; i++) Step();
        GC.Collect();
        var growth = ResidentBytes() - rssBefore;
        Assert.Equal(handles, torch.LiveTensorHandles);
        Assert.True(growth < 50L << 20, $"resident memory grew by {growth >> 20} MB over 20,000 steps");
    }

    [Fact]
    public void InferenceLoopRunsWithFlatNativeMemory()
    {
        using var model = new TinyMlp(64, 256, 64, seed: 2);
        using var x = torch.randn([1, 64]);
        void Token()
        {
            using var scope = torch.NewDisposeScope();
            using var _ = torch.inference_mode();
            var logits = model.forward(x);
            var probs = logits.softmax(-1);
            torch.multinomial(probs, 1).item<long>();
        }
        for (var i = 0; i < 1000; i++) Token();
        GC.Collect();
        var handles = torch.LiveTensorHandles;
        var rssBefore = ResidentBytes();
        for (var i = 0; i < 20_000; i++) Token();
        GC.Collect();
        Assert.Equal(handles, torch.LiveTensorHandles);
        Assert.True(ResidentBytes() - rssBefore < 50L << 20);
    }

    /// <summary>Resident set size from /proc (what the OS really holds, native memory included).</summary>
    private static long ResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }
}
