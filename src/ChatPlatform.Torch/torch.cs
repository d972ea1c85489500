using System.Runtime.InteropServices;
using ChatPlatform.Torch.Native;
using static ChatPlatform.Torch.Native.NativeMethods;

namespace ChatPlatform.Torch;

/// <summary>The entry point, shaped like TorchSharp's <c>torch</c> so model code reads like PyTorch.</summary>
public static partial class torch
{
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType int16 = ScalarType.Int16;
    public const ScalarType int8 = ScalarType.Int8;
    public const ScalarType uint8 = ScalarType.Byte;
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>libtorch's version, e.g. 1.13.1.</summary>
    public static Version LibTorchVersion
    {
        get
        {
            Check(cs_version(out var major, out var minor, out var patch));
            return new Version(major, minor, patch);
        }
    }

    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Native tensor handles alive in the process (for leak tests and diagnostics).</summary>
    public static long LiveTensorHandles
    {
        get
        {
            Check(cs_live_tensor_handles(out var n));
            return n;
        }
    }

    // ---- threads ----
    // The engine leaves libtorch's intra-op thread count as libtorch chose it (Debian's build reports 1); OpenBLAS runs
    // matmul on its own pool over all cores. Raising intra-op threads made batch-1 decode slower here (../shared/DEPENDENCIES.md).
    public static int get_num_threads()
    {
        Check(cs_get_num_threads(out var n));
        return n;
    }

    public static void set_num_threads(int n) => Check(cs_set_num_threads(n));

    public static int get_num_interop_threads()
    {
        Check(cs_get_num_interop_threads(out var n));
        return n;
    }

    // ---- creation ----
    public static Tensor empty(long[] shape, ScalarType dtype = float32, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Wrap(cs_tensor_empty(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, out var h), h);
    }

    public static Tensor zeros(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        var t = Tensor.Wrap(cs_tensor_zeros(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, out var h), h);
        return requires_grad ? t.requires_grad_() : t;
    }

    public static Tensor ones(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        var t = Tensor.Wrap(cs_tensor_ones(shape, shape.Length, (int)dtype, (int)d.Type, d.Index, out var h), h);
        return requires_grad ? t.requires_grad_() : t;
    }

    public static Tensor full(long[] shape, Scalar value, ScalarType dtype = float32, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Wrap(cs_tensor_full(shape, shape.Length, value.Native, (int)dtype, (int)d.Type, d.Index, out var h), h);
    }

    /// <summary>A 0-dimensional tensor holding one value.</summary>
    public static Tensor scalar_tensor(Scalar value, ScalarType dtype = float32, Device? device = null) =>
        full([], value, dtype, device);

    public static Tensor arange(Scalar start, Scalar end, Scalar step, ScalarType dtype = int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Wrap(cs_tensor_arange(start.Native, end.Native, step.Native, (int)dtype, (int)d.Type, d.Index, out var h), h);
    }

    public static Tensor arange(Scalar end, ScalarType dtype = int64, Device? device = null) => arange(0, end, 1, dtype, device);

    public static Tensor zeros_like(Tensor t) => Tensor.Wrap(cs_tensor_zeros_like(t.Handle, out var h), h);
    public static Tensor ones_like(Tensor t) => Tensor.Wrap(cs_tensor_ones_like(t.Handle, out var h), h);

    /// <summary>A new tensor holding a copy of <paramref name="data"/>; the dtype follows T (float → float32, long → int64 ...).</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> data, long[]? shape = null, Device? device = null) where T : unmanaged
    {
        shape ??= [data.Length];
        if (typeof(T) == typeof(ushort))
            throw new NotSupportedException("ushort has no tensor dtype; use frombuffer(bytes, shape, ScalarType.BFloat16) for raw bf16 bits");
        fixed (T* p = data)
            return from_memory(p, (long)data.Length * sizeof(T), shape, ScalarTypeOf<T>(), device);
    }

    public static Tensor tensor<T>(T[] data, long[]? shape = null, Device? device = null) where T : unmanaged =>
        tensor(new ReadOnlySpan<T>(data), shape, device);

    /// <summary>A new tensor from raw little-endian element bytes of any dtype (e.g. bf16 from a checkpoint).</summary>
    public static unsafe Tensor frombuffer(ReadOnlySpan<byte> bytes, long[] shape, ScalarType dtype, Device? device = null)
    {
        fixed (byte* p = bytes)
            return from_memory(p, bytes.Length, shape, dtype, device);
    }

    /// <summary>
    /// A new tensor copied straight from native memory (e.g. a memory-mapped safetensors file) holding
    /// <paramref name="dtype"/> elements: one copy, none managed, converted to <paramref name="convertTo"/> and moved to
    /// <paramref name="device"/> in the same pass.
    /// </summary>
    public static unsafe Tensor from_memory(void* data, long byteCount, ReadOnlySpan<long> shape, ScalarType dtype, Device? device = null,
        ScalarType? convertTo = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Wrap(cs_tensor_from_data(data, byteCount, shape, shape.Length, (int)dtype, convertTo.HasValue ? (int)convertTo.Value : -1,
            (int)d.Type, d.Index, out var h), h);
    }

    internal static ScalarType ScalarTypeOf<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return ScalarType.Float32;
        if (typeof(T) == typeof(double)) return ScalarType.Float64;
        if (typeof(T) == typeof(long)) return ScalarType.Int64;
        if (typeof(T) == typeof(int)) return ScalarType.Int32;
        if (typeof(T) == typeof(short)) return ScalarType.Int16;
        if (typeof(T) == typeof(sbyte)) return ScalarType.Int8;
        if (typeof(T) == typeof(byte)) return ScalarType.Byte;
        if (typeof(T) == typeof(bool)) return ScalarType.Bool;
        if (typeof(T) == typeof(Half)) return ScalarType.Float16;
        throw new NotSupportedException($"no tensor dtype for {typeof(T).Name}");
    }

    // ---- combining ----
    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: false);
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: true);

    private static unsafe Tensor Combine(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        var handles = tensors.Count <= 64 ? stackalloc IntPtr[tensors.Count] : new IntPtr[tensors.Count];
        var added = 0;
        try
        {
            for (; added < tensors.Count; added++)
            {
                var ok = false;
                tensors[added].Handle.DangerousAddRef(ref ok);
                handles[added] = tensors[added].Handle.DangerousGetHandle();
            }
            fixed (IntPtr* p = handles)
            {
                var status = stack ? cs_stack(p, tensors.Count, dim, out var h) : cs_cat(p, tensors.Count, dim, out h);
                return Tensor.Wrap(status, h);
            }
        }
        finally
        {
            for (var i = 0; i < added; i++) tensors[i].Handle.DangerousRelease();
        }
    }

    public static Tensor where(Tensor condition, Tensor a, Tensor b) =>
        Tensor.Wrap(cs_where(condition.Handle, a.Handle, b.Handle, out var h), h);

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor triu(Tensor a, long diagonal = 0) => a.triu(diagonal);
    public static Tensor tril(Tensor a, long diagonal = 0) => a.tril(diagonal);
    public static Tensor exp(Tensor a) => a.exp();
    public static Tensor log(Tensor a) => a.log();
    public static Tensor sqrt(Tensor a) => a.sqrt();
    public static Tensor rsqrt(Tensor a) => a.rsqrt();
    public static Tensor tanh(Tensor a) => a.tanh();
    public static Tensor erf(Tensor a) => a.erf();
    public static Tensor softmax(Tensor a, long dim) => nn.functional.softmax(a, dim);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);

    // ---- random ----
    /// <summary>The default generator's state of a device kind (a uint8 tensor): what dropout draws from next.</summary>
    public static Tensor get_rng_state(DeviceType device = DeviceType.CPU) =>
        Tensor.Wrap(cs_generator_get_state(GeneratorHandle.Null, (int)device, out var h), h);

    public static void set_rng_state(Tensor state, DeviceType device = DeviceType.CPU) =>
        Check(cs_generator_set_state(GeneratorHandle.Null, (int)device, state.Handle));

    /// <summary>Seeds the default generators of the CPU and every CUDA device.</summary>
    public static void manual_seed(long seed) => Check(cs_manual_seed(seed));

    public static Tensor randn(long[] shape, ScalarType dtype = float32, Device? device = null, Generator? generator = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Wrap(cs_randn(shape, shape.Length, (int)dtype, (int)d.Type, d.Index,
            generator?.Handle ?? GeneratorHandle.Null, out var h), h);
    }

    public static Tensor rand(long[] shape, ScalarType dtype = float32, Device? device = null, Generator? generator = null)
    {
        var d = device ?? Device.CPU;
        return Tensor.Wrap(cs_rand(shape, shape.Length, (int)dtype, (int)d.Type, d.Index,
            generator?.Handle ?? GeneratorHandle.Null, out var h), h);
    }

    /// <summary>Draws <paramref name="numSamples"/> indices per row of non-negative weights.</summary>
    public static Tensor multinomial(Tensor probs, long numSamples, bool replacement = false, Generator? generator = null) =>
        Tensor.Wrap(cs_multinomial(probs.Handle, numSamples, replacement ? 1 : 0, generator?.Handle ?? GeneratorHandle.Null, out var h), h);

    // ---- autograd modes ----
    public static bool is_grad_enabled()
    {
        Check(cs_grad_enabled(out var e));
        return e != 0;
    }

    public static void set_grad_enabled(bool enabled) => Check(cs_set_grad_enabled(enabled ? 1 : 0));

    /// <summary>Disables gradient recording on this thread until disposed (restores the previous mode).</summary>
    public static IDisposable no_grad() => new GradModeScope(enabled: false);

    /// <summary>Re-enables gradient recording inside a no_grad region until disposed.</summary>
    public static IDisposable enable_grad() => new GradModeScope(enabled: true);

    /// <summary>
    /// Inference mode on this thread until disposed: like no_grad, and also skips version counting, so it is the
    /// fastest mode for generation. Tensors made inside cannot be used in autograd afterwards.
    /// </summary>
    public static IDisposable inference_mode() => new InferenceModeScope();

    /// <summary>
    /// Mixed precision on this thread until disposed (torch.autocast): matrix products on <paramref name="device"/>'s
    /// kind run in <paramref name="dtype"/> (bfloat16 or float16) while weights stay as they are and precision-sensitive
    /// ops stay in float32. Wrap forward passes and losses, not backward.
    /// </summary>
    public static IDisposable autocast(Device device, ScalarType dtype = ScalarType.BFloat16) => new AutocastScope(device.Type, dtype);

    public static bool is_autocast_enabled(DeviceType device)
    {
        Check(cs_autocast_is_enabled((int)device, out var enabled));
        return enabled != 0;
    }

    private sealed class AutocastScope : IDisposable
    {
        private readonly DeviceType device;
        private readonly int previousEnabled;
        private readonly int previousDtype;
        private bool disposed;

        public AutocastScope(DeviceType device, ScalarType dtype)
        {
            this.device = device;
            Check(cs_autocast_enter((int)device, (int)dtype, out previousEnabled, out previousDtype));
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Check(cs_autocast_exit((int)device, previousEnabled, previousDtype));
        }
    }

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        public GradModeScope(bool enabled)
        {
            previous = is_grad_enabled();
            set_grad_enabled(enabled);
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            set_grad_enabled(previous);
        }
    }

    private sealed class InferenceModeScope : IDisposable
    {
        private IntPtr guard;
        private readonly int threadId = Environment.CurrentManagedThreadId;

        public InferenceModeScope() => Check(cs_inference_mode_enter(out guard));

        public void Dispose()
        {
            if (guard == IntPtr.Zero) return;
            if (Environment.CurrentManagedThreadId != threadId)
                throw new InvalidOperationException("inference_mode must be exited on the thread that entered it");
            Check(cs_inference_mode_exit(guard));
            guard = IntPtr.Zero;
        }
    }
}
