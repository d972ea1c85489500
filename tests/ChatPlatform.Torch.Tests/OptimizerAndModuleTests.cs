namespace ChatPlatform.Torch.Tests;

public sealed class OptimizerAndModuleTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    /// <summary>AdamW as written in Loshchilov &amp; Hutter / torch.optim.AdamW, in plain doubles.</summary>
    private static double[] ReferenceAdamW(double[] p, double[][] grads, double lr, double b1, double b2, double eps, double wd)
    {
        p = (double[])p.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (var t = 1; t <= grads.Length; t++)
            for (var i = 0; i < p.Length; i++)
            {
                var g = grads[t - 1][i];
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                var mHat = m[i] / (1 - Math.Pow(b1, t));
                var vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        return p;
    }

    [Fact]
    public void AdamWMatchesTheReferenceUpdate()
    {
        double[] start = [0.5, -1.0, 2.0];
        double[][] coefficients = [[1, -2, 0.5], [0.3, 0.1, -4], [2, 2, 2], [-1, 0.5, 0.25]];
        var p = torch.tensor(start).requires_grad_();
        using var optimizer = new torch.optim.AdamW([p], lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05);
        foreach (var c in coefficients)
        {
            using var step = torch.NewDisposeScope();
            (p * torch.tensor(c)).sum().backward();   // gradient = c
            optimizer.step();
            optimizer.zero_grad();
        }
        Approx.Equal(ReferenceAdamW(start, coefficients, 0.1, 0.9, 0.99, 1e-8, 0.05), p, 1e-12);
    }

    [Fact]
    public void WeightDecaySkipsExemptParameters()
    {
        // With a zero gradient Adam's update is 0, so only decoupled decay moves a parameter: p·(1 − lr·λ).
        var decayed = torch.tensor(new[] { 1.0, -2.0 }).requires_grad_();
        var exempt = torch.tensor(new[] { 1.0, -2.0 }).requires_grad_();
        using var optimizer = new torch.optim.AdamW([decayed, exempt], lr: 0.1, weightDecay: 0.5, noWeightDecay: [exempt]);
        ((decayed + exempt) * 0.0).sum().backward();
        optimizer.step();
        Approx.Equal(new[] { 0.95, -1.9 }, decayed, 1e-12);
        Assert.Equal(new[] { 1.0, -2.0 }, exempt.data<double>());
    }

    [Fact]
    public void AdamWResumesFromItsStateExactly()
    {
        double[] start = [0.5, -1.0, 2.0, 3.0];
        Tensor Loss(Tensor p) => (p * p * torch.tensor(new[] { 1.0, 2.0, 3.0, 4.0 })).sum();

        var straight = torch.tensor(start).requires_grad_();
        using var o1 = new torch.optim.AdamW([straight], lr: 0.05);
        for (var i = 0; i < 6; i++)
        {
            Loss(straight).backward();
            o1.step();
            o1.zero_grad();
        }

        var first = torch.tensor(start).requires_grad_();
        using var o2 = new torch.optim.AdamW([first], lr: 0.05);
        for (var i = 0; i < 3; i++)
        {
            Loss(first).backward();
            o2.step();
            o2.zero_grad();
        }
        using var saved = o2.state_dict();
        Assert.Equal(3, saved.Entries[0]!.Step);

        var resumed = first.detach().clone().requires_grad_();
        using var o3 = new torch.optim.AdamW([resumed], lr: 0.05);
        o3.load_state_dict(saved);
        for (var i = 0; i < 3; i++)
        {
            Loss(resumed).backward();
            o3.step();
            o3.zero_grad();
        }
        Assert.Equal(straight.data<double>(), resumed.data<double>());

        var fresh = first.detach().clone().requires_grad_();
        using var o4 = new torch.optim.AdamW([fresh], lr: 0.05);   // without the state: a different trajectory
        for (var i = 0; i < 3; i++)
        {
            Loss(fresh).backward();
            o4.step();
            o4.zero_grad();
        }
        Assert.NotEqual(straight.data<double>(), fresh.data<double>());
    }

    [Fact]
    public void ClipGradNormScalesToTheMaximumNorm()
    {
        var a = torch.tensor(new[] { 3.0, 0.0 }).requires_grad_();
        var b = torch.tensor(new[] { 4.0 }).requires_grad_();
        ((a * a).sum() / 2 + (b * b).sum() / 2).backward();   // grads = (3, 0), (4): global norm 5
        var norm = torch.nn.utils.clip_grad_norm_([a, b], 1.0);
        Assert.Equal(5.0, norm, 6);
        Approx.Equal(new[] { 0.6, 0.0 }, a.grad!, 1e-6);
        Approx.Equal(new[] { 0.8 }, b.grad!, 1e-6);
        Assert.Equal(1.0, torch.nn.utils.clip_grad_norm_([a, b], 10.0), 5);   // under the limit: unchanged
        Approx.Equal(new[] { 0.6, 0.0 }, a.grad!, 1e-6);
    }

    [Fact]
    public void ModuleNamesParametersAndMovesThemInPlace()
    {
        using var model = new TinyMlp(3, 4, 2, seed: 1);
        Assert.Equal(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }, model.named_parameters().Select(p => p.name));
        var weight = model.fc1.weight;
        model.to(ScalarType.Float64);
        Assert.Same(weight, model.fc1.weight);                 // identity kept: optimizers built earlier still see it
        Assert.Equal(ScalarType.Float64, model.fc1.weight.dtype);
        Assert.True(model.fc1.weight.requires_grad);
        var x = torch.randn([5, 3], ScalarType.Float64);
        var manual = x.matmul(model.fc1.weight.t()).add(model.fc1.bias!).silu().matmul(model.fc2.weight.t()).add(model.fc2.bias!);
        Approx.Equal(Approx.Values(manual), model.forward(x), 1e-12);
        Assert.True(model.training);
        model.eval();
        Assert.False(model.fc1.training);
        var bound = 1 / Math.Sqrt(3);
        Assert.All(model.fc1.weight.data<double>(), w => Assert.InRange(w, -bound, bound));
    }
}
