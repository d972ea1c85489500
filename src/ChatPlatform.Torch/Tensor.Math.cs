using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

// Element-wise math (broadcasting as in PyTorch), comparisons, linear algebra and reductions.
public sealed partial class Tensor
{
    private static readonly NativeScalar One = new(0, 1, 1);

    // ---- unary ----
    public Tensor neg() => Wrap(cs_neg(Handle, out var h), h);
    public Tensor abs() => Wrap(cs_abs(Handle, out var h), h);
    public Tensor exp() => Wrap(cs_exp(Handle, out var h), h);
    public Tensor log() => Wrap(cs_log(Handle, out var h), h);
    public Tensor sqrt() => Wrap(cs_sqrt(Handle, out var h), h);
    public Tensor rsqrt() => Wrap(cs_rsqrt(Handle, out var h), h);
    public Tensor tanh() => Wrap(cs_tanh(Handle, out var h), h);
    public Tensor erf() => Wrap(cs_erf(Handle, out var h), h);
    public Tensor sigmoid() => Wrap(cs_sigmoid(Handle, out var h), h);
    public Tensor relu() => Wrap(cs_relu(Handle, out var h), h);
    public Tensor silu() => Wrap(cs_silu(Handle, out var h), h);
    public Tensor sin() => Wrap(cs_sin(Handle, out var h), h);
    public Tensor cos() => Wrap(cs_cos(Handle, out var h), h);
    public Tensor reciprocal() => Wrap(cs_reciprocal(Handle, out var h), h);
    public Tensor square() => Wrap(cs_square(Handle, out var h), h);
    public Tensor logical_not() => Wrap(cs_logical_not(Handle, out var h), h);
    public Tensor isfinite() => Wrap(cs_isfinite(Handle, out var h), h);
    public Tensor isnan() => Wrap(cs_isnan(Handle, out var h), h);

    // ---- binary ----
    public Tensor add(Tensor other) => Wrap(cs_add(Handle, other.Handle, One, out var h), h);
    public Tensor add(Tensor other, Scalar alpha) => Wrap(cs_add(Handle, other.Handle, alpha.Native, out var h), h);
    public Tensor add(Scalar other) => Wrap(cs_add_scalar(Handle, other.Native, out var h), h);
    public Tensor sub(Tensor other) => Wrap(cs_sub(Handle, other.Handle, One, out var h), h);
    public Tensor sub(Scalar other) => Wrap(cs_sub_scalar(Handle, other.Native, out var h), h);
    public Tensor mul(Tensor other) => Wrap(cs_mul(Handle, other.Handle, out var h), h);
    public Tensor mul(Scalar other) => Wrap(cs_mul_scalar(Handle, other.Native, out var h), h);
    public Tensor div(Tensor other) => Wrap(cs_div(Handle, other.Handle, out var h), h);
    public Tensor div(Scalar other) => Wrap(cs_div_scalar(Handle, other.Native, out var h), h);
    public Tensor pow(Tensor exponent) => Wrap(cs_pow(Handle, exponent.Handle, out var h), h);
    public Tensor pow(Scalar exponent) => Wrap(cs_pow_scalar(Handle, exponent.Native, out var h), h);
    public Tensor maximum(Tensor other) => Wrap(cs_maximum(Handle, other.Handle, out var h), h);
    public Tensor minimum(Tensor other) => Wrap(cs_minimum(Handle, other.Handle, out var h), h);
    public Tensor clamp(Scalar? min = null, Scalar? max = null) =>
        Wrap(cs_clamp(Handle, min.HasValue ? 1 : 0, min.GetValueOrDefault().Native, max.HasValue ? 1 : 0,
            max.GetValueOrDefault().Native, out var h), h);

    public Tensor eq(Tensor other) => Wrap(cs_eq(Handle, other.Handle, out var h), h);
    public Tensor ne(Tensor other) => Wrap(cs_ne(Handle, other.Handle, out var h), h);
    public Tensor lt(Tensor other) => Wrap(cs_lt(Handle, other.Handle, out var h), h);
    public Tensor le(Tensor other) => Wrap(cs_le(Handle, other.Handle, out var h), h);
    public Tensor gt(Tensor other) => Wrap(cs_gt(Handle, other.Handle, out var h), h);
    public Tensor ge(Tensor other) => Wrap(cs_ge(Handle, other.Handle, out var h), h);
    public Tensor eq(Scalar other) => Wrap(cs_eq_scalar(Handle, other.Native, out var h), h);
    public Tensor ne(Scalar other) => Wrap(cs_ne_scalar(Handle, other.Native, out var h), h);
    public Tensor lt(Scalar other) => Wrap(cs_lt_scalar(Handle, other.Native, out var h), h);
    public Tensor le(Scalar other) => Wrap(cs_le_scalar(Handle, other.Native, out var h), h);
    public Tensor gt(Scalar other) => Wrap(cs_gt_scalar(Handle, other.Native, out var h), h);
    public Tensor ge(Scalar other) => Wrap(cs_ge_scalar(Handle, other.Native, out var h), h);
    public Tensor logical_and(Tensor other) => Wrap(cs_logical_and(Handle, other.Handle, out var h), h);
    public Tensor logical_or(Tensor other) => Wrap(cs_logical_or(Handle, other.Handle, out var h), h);

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
    public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
    public static Tensor operator -(Scalar a, Tensor b) => Wrap(cs_rsub_scalar(b.Handle, a.Native, out var h), h);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
    public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
    public static Tensor operator /(Scalar a, Tensor b) => Wrap(cs_rdiv_scalar(b.Handle, a.Native, out var h), h);
    public static Tensor operator -(Tensor a) => a.neg();

    // ---- linear algebra ----
    public Tensor matmul(Tensor other)
    {
        var start = OpStatistics.MatmulStart();
        var status = cs_matmul(Handle, other.Handle, out var h);
        OpStatistics.MatmulEnd(start);
        return Wrap(status, h);
    }

    public Tensor bmm(Tensor other)
    {
        var start = OpStatistics.MatmulStart();
        var status = cs_bmm(Handle, other.Handle, out var h);
        OpStatistics.MatmulEnd(start);
        return Wrap(status, h);
    }

    public Tensor mm(Tensor other)
    {
        var start = OpStatistics.MatmulStart();
        var status = cs_mm(Handle, other.Handle, out var h);
        OpStatistics.MatmulEnd(start);
        return Wrap(status, h);
    }

    // ---- reductions and scans ----
    public Tensor sum() => Wrap(cs_sum(Handle, default, 0, 0, -1, out var h), h);
    public Tensor sum(long dim, bool keepdim = false) => sum([dim], keepdim);
    public Tensor sum(long[] dims, bool keepdim = false, ScalarType? type = null) =>
        Wrap(cs_sum(Handle, dims, dims.Length, keepdim ? 1 : 0, type.HasValue ? (int)type.Value : -1, out var h), h);
    public Tensor mean() => Wrap(cs_mean(Handle, default, 0, 0, out var h), h);
    public Tensor mean(long dim, bool keepdim = false) => mean([dim], keepdim);
    public Tensor mean(long[] dims, bool keepdim = false) => Wrap(cs_mean(Handle, dims, dims.Length, keepdim ? 1 : 0, out var h), h);
    public Tensor max() => Wrap(cs_max_all(Handle, out var h), h);
    public Tensor min() => Wrap(cs_min_all(Handle, out var h), h);

    public (Tensor values, Tensor indices) max(long dim, bool keepdim = false)
    {
        var status = cs_max_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i);
        return Pair(status, v, i);
    }

    public (Tensor values, Tensor indices) min(long dim, bool keepdim = false)
    {
        var status = cs_min_dim(Handle, dim, keepdim ? 1 : 0, out var v, out var i);
        return Pair(status, v, i);
    }

    public Tensor argmax() => Wrap(cs_argmax(Handle, 0, 0, 0, out var h), h);
    public Tensor argmax(long dim, bool keepdim = false) => Wrap(cs_argmax(Handle, 1, dim, keepdim ? 1 : 0, out var h), h);

    public (Tensor values, Tensor indices) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        var status = cs_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var v, out var i);
        return Pair(status, v, i);
    }

    public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false)
    {
        var status = cs_sort(Handle, dim, descending ? 1 : 0, out var v, out var i);
        return Pair(status, v, i);
    }

    public Tensor cumsum(long dim) => Wrap(cs_cumsum(Handle, dim, out var h), h);
    public Tensor logsumexp(long dim, bool keepdim = false) =>
        Wrap(cs_logsumexp(Handle, new[] { dim }, 1, keepdim ? 1 : 0, out var h), h);
    public Tensor norm(Scalar? p = null) => Wrap(cs_norm(Handle, (p ?? 2.0).Native, out var h), h);
    public Tensor all() => Wrap(cs_all(Handle, out var h), h);
    public Tensor any() => Wrap(cs_any(Handle, out var h), h);

    public Tensor softmax(long dim, ScalarType? type = null) => torch.nn.functional.softmax(this, dim, type);
    public Tensor log_softmax(long dim, ScalarType? type = null) => torch.nn.functional.log_softmax(this, dim, type);

    private static (Tensor, Tensor) Pair(int status, TensorHandle a, TensorHandle b)
    {
        if (status != 0)
        {
            a.Dispose();
            b.Dispose();
            Check(status);
        }
        return (Wrap(0, a), Wrap(0, b));
    }
}
