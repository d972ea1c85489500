using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Owns one native at::Tensor reference; releasing it calls <c>cs_tensor_free</c>.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>Passed for optional tensor arguments: marshals as NULL and is never released.</summary>
    internal static readonly TensorHandle Null = new();

    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.cs_tensor_free(handle) == 0;
}

/// <summary>Owns one native at::Generator.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    internal static readonly GeneratorHandle Null = new();

    public GeneratorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle() => NativeMethods.cs_generator_free(handle) == 0;
}

/// <summary>The C ABI's <c>cs_scalar</c>: kind 0 = double, 1 = int64, 2 = bool.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeScalar(double d, long i, int kind)
{
    public readonly double D = d;
    public readonly long I = i;
    public readonly int Kind = kind;
}
