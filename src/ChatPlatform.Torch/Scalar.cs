using ChatPlatform.Torch.Native;

namespace ChatPlatform.Torch;

/// <summary>A number passed to an op: kept as integer, floating point or bool so type promotion follows PyTorch.</summary>
public readonly struct Scalar
{
    internal readonly NativeScalar Native;

    private Scalar(NativeScalar native) => Native = native;

    public static implicit operator Scalar(double value) => new(new NativeScalar(value, 0, 0));
    public static implicit operator Scalar(float value) => new(new NativeScalar(value, 0, 0));
    public static implicit operator Scalar(long value) => new(new NativeScalar(0, value, 1));
    public static implicit operator Scalar(int value) => new(new NativeScalar(0, value, 1));
    public static implicit operator Scalar(bool value) => new(new NativeScalar(0, value ? 1 : 0, 2));

    public override string ToString() => Native.Kind switch
    {
        1 => Native.I.ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => Native.I != 0 ? "true" : "false",
        _ => Native.D.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
