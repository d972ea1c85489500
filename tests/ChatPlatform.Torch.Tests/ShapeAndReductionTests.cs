namespace ChatPlatform.Torch.Tests;

/// <summary>Shape, indexing, linear algebra and reductions on small tensors with hand-computed results.</summary>
public sealed class ShapeAndReductionTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    private static Tensor Range(long n, params long[] shape) => torch.arange(0, n, 1, ScalarType.Float32).reshape(shape);

    [Fact]
    public void MatmulBmmAndLinearMatchHandComputedProducts()
    {
        var a = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = torch.tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2]);
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        Assert.Equal(new float[] { 58, 64, 139, 154 }, a.matmul(b).data<float>());
        Assert.Equal(new float[] { 58, 64, 139, 154 }, a.mm(b).data<float>());
        var batch = torch.stack([a, a * 2]);                  // (2, 2, 3)
        var rhs = torch.stack([b, b]);                        // (2, 3, 2)
        Assert.Equal(new float[] { 58, 64, 139, 154, 116, 128, 278, 308 }, batch.bmm(rhs).data<float>());
        // linear: x Wᵀ + bias with W = bᵀ (2, 3)
        var bias = torch.tensor(new float[] { 1, -1 });
        Assert.Equal(new float[] { 59, 63, 140, 153 }, torch.nn.functional.linear(a, b.t(), bias).data<float>());
        Assert.Equal(new float[] { 58, 64, 139, 154 }, torch.nn.functional.linear(a, b.t()).data<float>());
    }

    [Fact]
    public void SingleRowLinearEqualsTheMatrixProduct()
    {
        // (1, 1, in) inputs use a matrix-vector kernel in the shim; shape and values must match x Wᵀ + b.
        var x = torch.tensor(new float[] { 1, -2, 3 }, [1, 1, 3]);
        var w = torch.tensor(new float[] { 1, 0, 2, 0, 1, 1 }, [2, 3]);
        var b = torch.tensor(new float[] { 0.5f, -1 });
        var y = torch.nn.functional.linear(x, w, b);
        Assert.Equal(new long[] { 1, 1, 2 }, y.shape);
        Assert.Equal(new float[] { 7.5f, 0 }, y.data<float>());   // [1+6, -2+3] + b
        Assert.Equal(new float[] { 7, 1 }, torch.nn.functional.linear(torch.tensor(new float[] { 1, -2, 3 }), w).data<float>());
    }

    [Fact]
    public void LargeSingleRowLinearUsesMatrixVectorAndMatchesTheMatrixProductWithGradients()
    {
        // 512 x 512 weights are large enough for the shim's matrix-vector kernel; values and gradients must equal x Wᵀ + b.
        using var g = new Generator(4);
        var w = torch.randn([512, 512], ScalarType.Float64, generator: g).requires_grad_();
        var b = torch.randn([512], ScalarType.Float64, generator: g).requires_grad_();
        var x = torch.randn([1, 1, 512], ScalarType.Float64, generator: g).requires_grad_();
        var c = torch.randn([1, 1, 512], ScalarType.Float64, generator: g);
        var fast = torch.nn.functional.linear(x, w, b);
        Assert.Equal(new long[] { 1, 1, 512 }, fast.shape);
        (fast * c).sum().backward();
        double[] gx = x.grad!.data<double>(), gw = w.grad!.data<double>(), gb = b.grad!.data<double>();
        x.grad = null;
        w.grad = null;
        b.grad = null;
        var reference = x.matmul(w.t()) + b;
        (reference * c).sum().backward();
        Approx.Equal(Approx.Values(reference), fast, 1e-12);
        Approx.Equal(x.grad!.data<double>(), gx, 1e-12);
        Approx.Equal(w.grad!.data<double>(), gw, 1e-12);
        Approx.Equal(b.grad!.data<double>(), gb, 1e-12);
    }

    [Theory]
    [InlineData(1, 64, 512)]    // a small model's head for one sequence
    [InlineData(16, 64, 512)]   // ... and for a batch
    [InlineData(13, 172, 64)]   // a down projection: 172 inputs end in a partial vector
    [InlineData(7, 17, 5)]      // every tile edge: rows and outputs not multiples of the 4 x 3 tile
    [InlineData(5, 3, 2)]       // shorter than one vector
    public void SmallFloatLinearMatchesDoublePrecisionAndGivesEachRowWhatItGetsAlone(int rows, int inputs, int outputs)
    {
        // Small float32 products outside autograd take the shim's own single-threaded kernel (not BLAS); check it against
        // a double-precision product, with a float32 rounding bound per output, and row by row against itself alone.
        var random = new Random(rows * 1000 + inputs);
        var xs = Enumerable.Range(0, rows * inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var ws = Enumerable.Range(0, outputs * inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var bs = Enumerable.Range(0, outputs).Select(_ => (float)random.NextDouble()).ToArray();
        var x = torch.tensor(xs, [rows, inputs]);
        var w = torch.tensor(ws, [outputs, inputs]);
        var y = torch.nn.functional.linear(x, w, torch.tensor(bs)).data<float>();
        Assert.Equal(rows * outputs, y.Length);
        for (var r = 0; r < rows; r++)
            for (var o = 0; o < outputs; o++)
            {
                double exact = bs[o], magnitude = Math.Abs(bs[o]);
                for (var i = 0; i < inputs; i++)
                {
                    exact += (double)xs[r * inputs + i] * ws[o * inputs + i];
                    magnitude += Math.Abs((double)xs[r * inputs + i] * ws[o * inputs + i]);
                }
                var bound = (inputs + 2) * 6e-8 * magnitude;   // n·ε·Σ|xᵢwᵢ|, ε = 2^-24
                Assert.True(Math.Abs(y[r * outputs + o] - exact) <= bound,
                    $"row {r} output {o}: {y[r * outputs + o]:R} vs {exact:R} (bound {bound:G3})");
            }
        for (var r = 0; r < rows; r++)
        {
            var alone = torch.nn.functional.linear(x.narrow(0, r, 1), w, torch.tensor(bs)).data<float>();
            Assert.Equal(y.Skip(r * outputs).Take(outputs).ToArray(), alone);
        }
    }

    [Fact]
    public void SplitAndMergeHeadsAreInverseLayoutChanges()
    {
        var x = Range(24, 1, 3, 8);                                   // (B=1, T=3, H·D = 2·4)
        var heads = torch.nn.functional.split_heads(x, 2);             // (1, 2, 3, 4)
        Assert.Equal(new long[] { 1, 2, 3, 4 }, heads.shape);
        Assert.Equal(new float[] { 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23 }, heads.select(1, 1).contiguous().data<float>());
        Assert.Equal(x.data<float>(), torch.nn.functional.merge_heads(heads).data<float>());
        var cache = torch.zeros([1, 5]);
        cache.narrow_copy_(1, 2, torch.tensor(new float[] { 7, 8 }, [1, 2]));
        Assert.Equal(new float[] { 0, 0, 7, 8, 0 }, cache.data<float>());
        Assert.Throws<TorchException>(() => cache.narrow_copy_(1, 4, torch.ones([1, 2])));
    }

    [Fact]
    public void RotaryEmbeddingRotatesHalves()
    {
        // x = (1, 2, 3, 4): halves x1 = (1, 2), x2 = (3, 4); result = x·cos + (−x2, x1)·sin.
        var x = torch.tensor(new double[] { 1, 2, 3, 4 });
        var cos = torch.tensor(new double[] { 0.5, 0.25, 0.5, 0.25 });
        var sin = torch.tensor(new double[] { 2, 3, 2, 3 });
        Approx.Equal(new[] { 1 * 0.5 - 3 * 2, 2 * 0.25 - 4 * 3, 3 * 0.5 + 1 * 2, 4 * 0.25 + 2 * 3.0 },
            torch.nn.functional.rotary_embedding(x, cos, sin), 1e-12);
    }

    [Fact]
    public void ReshapeViewPermuteTransposeAndContiguous()
    {
        var x = Range(6, 2, 3);
        Assert.Equal(new long[] { 3, 2 }, x.view(3, 2).shape);
        Assert.Equal(new long[] { 6 }, x.reshape(-1).shape);
        var t = x.transpose(0, 1);
        Assert.Equal(new long[] { 3, 2 }, t.shape);
        Assert.False(t.is_contiguous());
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, t.contiguous().data<float>());
        Assert.Throws<TorchException>(() => t.view(6));  // a non-contiguous view cannot be flattened without a copy
        var p = Range(24, 2, 3, 4).permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.shape);
        Assert.Equal(new float[] { 0, 4, 8, 12, 16, 20 }, p.select(0, 0).contiguous().data<float>());
        Assert.Equal(new long[] { 2, 1, 3 }, x.unsqueeze(1).shape);
        Assert.Equal(new long[] { 2, 3 }, x.unsqueeze(1).squeeze(1).shape);
        Assert.Equal(new long[] { 2, 12 }, Range(24, 2, 3, 4).flatten(1).shape);
        Assert.Equal(new float[] { 0, 1, 2, 0, 1, 2 }, Range(3, 1, 3).expand(2, 3).contiguous().data<float>());
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1 }, Range(2, 1, 2).repeat(3, 1).data<float>());
        Assert.Equal(new float[] { 0, 0, 1, 1 }, Range(2, 2).repeat_interleave(2, 0).data<float>());
    }

    [Fact]
    public void CatStackNarrowSliceAndIndexing()
    {
        var a = Range(4, 2, 2);
        var b = Range(2, 1, 2) + 10;
        Assert.Equal(new float[] { 0, 1, 2, 3, 10, 11 }, torch.cat([a, b], 0).data<float>());
        Assert.Equal(new long[] { 2, 2, 2 }, torch.stack([a, a], 1).shape);
        var x = Range(10, 10);
        Assert.Equal(new float[] { 3, 4, 5 }, x.narrow(0, 3, 3).data<float>());
        Assert.Equal(new float[] { 1, 3, 5, 7 }, x.slice(0, 1, 8, 2).data<float>());
        Assert.Equal(new float[] { 7, 8, 9 }, x.slice(0, -3, null).data<float>());
        Assert.Equal(new float[] { 0, 1 }, x.slice(0, null, 2).data<float>());
        var idx = torch.tensor(new long[] { 9, 0, 4 });
        Assert.Equal(new float[] { 9, 0, 4 }, x.index_select(0, idx).data<float>());
        var m = Range(6, 2, 3);
        var g = torch.tensor(new long[] { 2, 0, 1, 1 }, [2, 2]);
        Assert.Equal(new float[] { 2, 0, 4, 4 }, m.gather(1, g).data<float>());
        var scattered = torch.zeros([2, 3]).scatter(1, torch.tensor(new long[] { 1, 2 }, [2, 1]), torch.ones([2, 1]));
        Assert.Equal(new float[] { 0, 1, 0, 0, 0, 1 }, scattered.data<float>());
        // narrow is a view: writing into it writes the original (how the KV cache is filled)
        x.narrow(0, 0, 2).copy_(torch.full([2], 42));
        Assert.Equal(new float[] { 42, 42, 2 }, x.narrow(0, 0, 3).data<float>());
    }

    [Fact]
    public void ReductionsAndScans()
    {
        var x = torch.tensor(new float[] { 3, 1, 4, 1, 5, 9 }, [2, 3]);
        Assert.Equal(23, x.sum().item<float>());
        Assert.Equal(new float[] { 8, 15 }, x.sum(1).data<float>());
        Assert.Equal(new long[] { 2, 1 }, x.sum(1, keepdim: true).shape);
        Assert.Equal(new float[] { 2, 3, 6.5f }, x.mean(0).data<float>());
        Assert.Equal(23 / 6.0, x.mean().item<double>(), 6);
        Assert.Equal(9, x.max().item<float>());
        Assert.Equal(1, x.min().item<float>());
        var (values, indices) = x.max(1);
        Assert.Equal(new float[] { 4, 9 }, values.data<float>());
        Assert.Equal(new long[] { 2, 2 }, indices.data<long>());
        Assert.Equal(new long[] { 1, 0 }, x.min(1).indices.data<long>());
        Assert.Equal(5, x.argmax().item<long>());
        Assert.Equal(new long[] { 2, 2 }, x.argmax(1).data<long>());
        var (topValues, topIndices) = x.topk(2, 1);
        Assert.Equal(new float[] { 4, 3, 9, 5 }, topValues.data<float>());
        Assert.Equal(new long[] { 2, 0, 2, 1 }, topIndices.data<long>());
        var (sorted, order) = x.sort(1, descending: true);
        Assert.Equal(new float[] { 4, 3, 1, 9, 5, 1 }, sorted.data<float>());
        Assert.Equal(new long[] { 2, 0, 1, 2, 1, 0 }, order.data<long>());
        Assert.Equal(new float[] { 3, 4, 8, 1, 6, 15 }, x.cumsum(1).data<float>());
        Assert.Equal(Math.Log(Math.Exp(3) + Math.Exp(1) + Math.Exp(4)), x.logsumexp(1).data<float>()[0], 5);
        Assert.Equal(Math.Sqrt(9 + 1 + 16 + 1 + 25 + 81), x.norm().item<double>(), 5);
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxMatchTheDefinition()
    {
        double[] row = [1.0, 2.0, 3.0, -1.0];
        var z = row.Select(v => Math.Exp(v)).Sum();
        var x = torch.tensor(row);
        Approx.Equal(row.Select(v => Math.Exp(v) / z).ToArray(), x.softmax(0), 1e-12);
        Approx.Equal(row.Select(v => v - Math.Log(z)).ToArray(), x.log_softmax(0), 1e-12);
        // huge logits stay finite (the max is subtracted)
        var big = torch.tensor(new float[] { 1000, 1001 });
        Approx.Equal(new[] { 1 / (1 + Math.E), Math.E / (1 + Math.E) }, big.softmax(0), 1e-6);
    }

    [Fact]
    public void LayerNormEmbeddingAndCrossEntropy()
    {
        double[] v = [1, 2, 3, 6];
        var mean = v.Average();
        var variance = v.Select(e => (e - mean) * (e - mean)).Average();
        var w = torch.tensor(new double[] { 1, 2, 1, 1 });
        var b = torch.tensor(new double[] { 0, 0, 1, 0 });
        var expected = v.Select((e, i) => (e - mean) / Math.Sqrt(variance + 1e-5) * (i == 1 ? 2 : 1) + (i == 2 ? 1 : 0)).ToArray();
        Approx.Equal(expected, torch.nn.functional.layer_norm(torch.tensor(v), [4], w, b, 1e-5), 1e-10);

        var table = torch.tensor(new float[] { 0, 0, 1, 1, 2, 2 }, [3, 2]);
        Assert.Equal(new float[] { 2, 2, 0, 0, 2, 2 }, torch.nn.functional.embedding(torch.tensor(new long[] { 2, 0, 2 }), table).data<float>());

        // cross-entropy = mean over non-ignored rows of logsumexp(row) − row[target]
        double[][] logits = [[1, 2, 3], [1, 1, 1], [5, 0, 0]];
        long[] targets = [2, -100, 1];
        var lse = logits.Select(r => Math.Log(r.Sum(e => Math.Exp(e)))).ToArray();
        var expectedLoss = ((lse[0] - 3) + (lse[2] - 0)) / 2;
        var ce = torch.nn.functional.cross_entropy(torch.tensor(logits.SelectMany(r => r).ToArray(), [3, 3]), torch.tensor(targets));
        Assert.Equal(expectedLoss, ce.item<double>(), 10);
        var sum = torch.nn.functional.cross_entropy(torch.tensor(logits.SelectMany(r => r).ToArray(), [3, 3]), torch.tensor(targets),
            reduction: torch.nn.Reduction.Sum);
        Assert.Equal(expectedLoss * 2, sum.item<double>(), 10);
    }

    [Fact]
    public void ScaledDotProductAttentionMatchesItsDefinition()
    {
        // q (1, 2, 3, 4): batch 1, 2 heads, 3 positions, head dim 4; computed in C# with doubles.
        using var g = new Generator(7);
        var q = torch.randn([1, 2, 3, 4], ScalarType.Float64, generator: g);
        var k = torch.randn([1, 2, 3, 4], ScalarType.Float64, generator: g);
        var v = torch.randn([1, 2, 3, 4], ScalarType.Float64, generator: g);
        double[] Q = q.data<double>(), K = k.data<double>(), V = v.data<double>();
        double[] Reference(bool causal)
        {
            var result = new double[2 * 3 * 4];
            for (var h = 0; h < 2; h++)
                for (var i = 0; i < 3; i++)
                {
                    var scores = new double[3];
                    for (var j = 0; j < 3; j++)
                    {
                        for (var e = 0; e < 4; e++) scores[j] += Q[(h * 3 + i) * 4 + e] * K[(h * 3 + j) * 4 + e];
                        scores[j] = causal && j > i ? double.NegativeInfinity : scores[j] / 2.0;  // 1/√4
                    }
                    var max = scores.Max();
                    var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var z = weights.Sum();
                    for (var e = 0; e < 4; e++)
                        for (var j = 0; j < 3; j++) result[(h * 3 + i) * 4 + e] += weights[j] / z * V[(h * 3 + j) * 4 + e];
                }
            return result;
        }
        Approx.Equal(Reference(false), torch.nn.functional.scaled_dot_product_attention(q, k, v), 1e-12);
        Approx.Equal(Reference(true), torch.nn.functional.scaled_dot_product_attention(q, k, v, isCausal: true), 1e-12);
        var keep = torch.ones([3, 3], ScalarType.Bool).tril();
        Approx.Equal(Reference(true), torch.nn.functional.scaled_dot_product_attention(q, k, v, attnMask: keep), 1e-12);
        var additive = torch.zeros([3, 3], ScalarType.Float64).masked_fill(keep.logical_not(), double.NegativeInfinity);
        Approx.Equal(Reference(true), torch.nn.functional.scaled_dot_product_attention(q, k, v, attnMask: additive), 1e-12);
    }
}
