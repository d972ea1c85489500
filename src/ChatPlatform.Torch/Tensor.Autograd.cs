using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

// Autograd and in-place updates (optimizer state, KV cache writes, initialisation).
public sealed partial class Tensor
{
    public bool requires_grad
    {
        get
        {
            Check(cs_tensor_requires_grad(Handle, out var r));
            return r != 0;
        }
        set => Check(cs_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    public bool is_leaf
    {
        get
        {
            Check(cs_tensor_is_leaf(Handle, out var r));
            return r != 0;
        }
    }

    /// <summary>The accumulated gradient, or null when there is none (not an error). Setting null drops it.</summary>
    public Tensor? grad
    {
        get => WrapOrNull(cs_tensor_grad(Handle, out var h), h);
        set => Check(cs_tensor_set_grad(Handle, value?.Handle ?? TensorHandle.Null));
    }

    /// <summary>Drops the gradient (zero_grad with set_to_none, which PyTorch made the default).</summary>
    public void clear_grad() => Check(cs_tensor_set_grad(Handle, TensorHandle.Null));

    public void backward(Tensor? gradient = null, bool retainGraph = false) =>
        Check(cs_tensor_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retainGraph ? 1 : 0));

    // ---- in-place: each returns this, as PyTorch's trailing-underscore methods do ----
    public Tensor copy_(Tensor src) { Check(cs_copy_(Handle, src.Handle)); return this; }
    public Tensor add_(Tensor other) { Check(cs_add_(Handle, other.Handle, new NativeScalar(0, 1, 1))); return this; }
    public Tensor add_(Tensor other, Scalar alpha) { Check(cs_add_(Handle, other.Handle, alpha.Native)); return this; }
    public Tensor add_(Scalar other) { Check(cs_add_scalar_(Handle, other.Native)); return this; }
    public Tensor mul_(Tensor other) { Check(cs_mul_(Handle, other.Handle)); return this; }
    public Tensor mul_(Scalar other) { Check(cs_mul_scalar_(Handle, other.Native)); return this; }
    public Tensor div_(Tensor other) { Check(cs_div_(Handle, other.Handle)); return this; }
    public Tensor addcmul_(Tensor t1, Tensor t2, Scalar value) { Check(cs_addcmul_(Handle, t1.Handle, t2.Handle, value.Native)); return this; }
    public Tensor addcdiv_(Tensor t1, Tensor t2, Scalar value) { Check(cs_addcdiv_(Handle, t1.Handle, t2.Handle, value.Native)); return this; }
    public Tensor lerp_(Tensor end, Scalar weight) { Check(cs_lerp_(Handle, end.Handle, weight.Native)); return this; }
    public Tensor zero_() { Check(cs_zero_(Handle)); return this; }
    public Tensor fill_(Scalar value) { Check(cs_fill_(Handle, value.Native)); return this; }
    public Tensor masked_fill_(Tensor mask, Scalar value) { Check(cs_masked_fill_(Handle, mask.Handle, value.Native)); return this; }
    /// <summary>Copies <paramref name="src"/> into this tensor at [start, start + src.size(dim)) along dim, in one call.</summary>
    public Tensor narrow_copy_(long dim, long start, Tensor src) { Check(cs_narrow_copy_(Handle, dim, start, src.Handle)); return this; }

    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        Check(cs_normal_(Handle, mean, std, generator?.Handle ?? GeneratorHandle.Null));
        return this;
    }

    public Tensor uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        Check(cs_uniform_(Handle, from, to, generator?.Handle ?? GeneratorHandle.Null));
        return this;
    }
}
