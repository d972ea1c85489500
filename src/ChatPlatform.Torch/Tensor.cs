using System.Runtime.InteropServices;
using System.Text;
using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

/// <summary>
/// A libtorch tensor. Owns one native reference, released by <see cref="Dispose"/>, by the enclosing
/// <see cref="DisposeScope"/>, or (as a last resort) by the finalizer of its handle.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    internal readonly TensorHandle Handle;
    internal DisposeScope? OwningScope;

    internal Tensor(TensorHandle handle)
    {
        Handle = handle;
        OpStatistics.CountTensor();
        DisposeScope.Track(this);
    }

    /// <summary>Wraps a native result: throws on a failed status, returns null for an undefined tensor.</summary>
    internal static Tensor? WrapOrNull(int status, TensorHandle handle)
    {
        if (status != 0)
        {
            handle.Dispose();
            Check(status);
        }
        if (handle.IsInvalid)
        {
            handle.Dispose();
            return null;
        }
        return new Tensor(handle);
    }

    /// <summary>Wraps a native result that must be a defined tensor.</summary>
    internal static Tensor Wrap(int status, TensorHandle handle) =>
        WrapOrNull(status, handle) ?? throw new TorchException(TorchStatus.Internal, "libtorch returned an undefined tensor");

    public bool IsDisposed => Handle.IsClosed;

    /// <summary>Takes the tensor out of whichever dispose scope owns it: its new owner (e.g. a module) frees it.</summary>
    public Tensor LeaveDisposeScope()
    {
        OwningScope = null;
        return this;
    }

    public void Dispose() => Handle.Dispose();

    // ---- metadata ----

    public int dim()
    {
        Check(cs_tensor_dim(Handle, out var d));
        return d;
    }

    public long[] shape
    {
        get
        {
            Span<long> buffer = stackalloc long[16];
            var n = dim();
            if (n > buffer.Length) buffer = new long[n];
            Check(cs_tensor_shape(Handle, buffer, buffer.Length));
            return buffer[..n].ToArray();
        }
    }

    /// <summary>The size of one dimension (negative counts from the end).</summary>
    public long size(int dimension)
    {
        var s = shape;
        var d = dimension < 0 ? dimension + s.Length : dimension;
        if (d < 0 || d >= s.Length)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"dimension {dimension} out of range for a {s.Length}-d tensor");
        return s[d];
    }

    public long numel()
    {
        Check(cs_tensor_numel(Handle, out var n));
        return n;
    }

    public ScalarType dtype
    {
        get
        {
            Check(cs_tensor_dtype(Handle, out var t));
            return (ScalarType)t;
        }
    }

    public Device device
    {
        get
        {
            Check(cs_tensor_device(Handle, out var type, out var index));
            return new Device((DeviceType)type, index);
        }
    }

    public bool is_contiguous()
    {
        Check(cs_tensor_is_contiguous(Handle, out var c));
        return c != 0;
    }

    // ---- values out ----

    public double ToDouble()
    {
        Check(cs_tensor_item_double(Handle, out var v));
        return v;
    }

    public long ToInt64()
    {
        Check(cs_tensor_item_int64(Handle, out var v));
        return v;
    }

    /// <summary>The single value of a one-element tensor, converted to T.</summary>
    public T item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(bool))
        {
            var v = ToInt64();
            if (typeof(T) == typeof(bool)) return (T)(object)(v != 0);
            return typeof(T) == typeof(int) ? (T)(object)checked((int)v) : (T)(object)v;
        }
        var d = ToDouble();
        if (typeof(T) == typeof(float)) return (T)(object)(float)d;
        if (typeof(T) == typeof(double)) return (T)(object)d;
        throw new NotSupportedException($"item<{typeof(T).Name}> is not supported; use float, double, int, long or bool");
    }

    /// <summary>Copies the elements (in row-major order, from any device) into a new array. T must match dtype.</summary>
    public T[] data<T>() where T : unmanaged
    {
        var result = new T[checked((int)numel())];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies the elements into <paramref name="destination"/>, whose length must equal numel().</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        var actual = dtype;
        // ushort receives the raw bits of 16-bit floats (bf16/f16); every other T must match the dtype.
        var rawHalfBits = typeof(T) == typeof(ushort) && actual is ScalarType.BFloat16 or ScalarType.Float16;
        if (!rawHalfBits && torch.ScalarTypeOf<T>() != actual)
            throw new ArgumentException($"tensor has dtype {actual} but the destination holds {typeof(T).Name} ({torch.ScalarTypeOf<T>()})");
        fixed (T* p = destination)
            Check(cs_tensor_copy_to(Handle, p, (long)destination.Length * sizeof(T)));
    }

    /// <summary>
    /// Overwrites this tensor (or view) with <paramref name="dtype"/> elements read from native memory, converting to
    /// this tensor's dtype and device in the same pass (how large checkpoint tensors are filled chunk by chunk).
    /// </summary>
    public unsafe void copy_from_memory(void* data, long byteCount, ScalarType dtype) =>
        Check(cs_tensor_copy_from(Handle, data, byteCount, (int)dtype));

    /// <summary>Copies the raw bytes of the elements (any dtype, e.g. bf16) into <paramref name="destination"/>.</summary>
    public unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination)
            Check(cs_tensor_copy_to(Handle, p, destination.Length));
    }

    public override unsafe string ToString()
    {
        if (IsDisposed) return "Tensor(disposed)";
        Check(cs_tensor_to_string(Handle, null, 0, out var needed));
        var buffer = new byte[needed];
        fixed (byte* p = buffer)
            Check(cs_tensor_to_string(Handle, p, needed, out _));
        return Encoding.UTF8.GetString(buffer, 0, needed - 1);
    }

    // ---- conversion and copies ----

    public Tensor to(ScalarType type) => Wrap(cs_tensor_to(Handle, (int)type, -1, -1, 0, 0, out var h), h);

    public Tensor to(Device target) => Wrap(cs_tensor_to(Handle, -1, (int)target.Type, target.Index, 0, 0, out var h), h);

    public Tensor to(ScalarType type, Device target) =>
        Wrap(cs_tensor_to(Handle, (int)type, (int)target.Type, target.Index, 0, 0, out var h), h);

    public Tensor @float() => to(ScalarType.Float32);

    public Tensor @long() => to(ScalarType.Int64);

    public Tensor clone() => Wrap(cs_tensor_clone(Handle, out var h), h);

    /// <summary>Shares storage, cut from the autograd graph.</summary>
    public Tensor detach() => Wrap(cs_tensor_detach(Handle, out var h), h);

    public Tensor contiguous() => Wrap(cs_tensor_contiguous(Handle, out var h), h);

    /// <summary>A second handle to the same tensor (same storage and autograd identity), owned separately.</summary>
    public Tensor alias() => Wrap(cs_tensor_alias(Handle, out var h), h);

    /// <summary>Replaces this tensor's data, keeping its identity as a parameter (PyTorch's <c>p.data = x</c>).</summary>
    public void set_data(Tensor data) => Check(cs_tensor_set_data(Handle, data.Handle));
}
