namespace ChatPlatform.Torch;

/// <summary>The native status codes of the shim (native/include/cs_core.h).</summary>
public enum TorchStatus
{
    Ok = 0,
    InvalidArgument = 1,
    OutOfMemory = 2,
    Internal = 3,
}

/// <summary>A libtorch call failed; <see cref="Exception.Message"/> is libtorch's own text.</summary>
public sealed class TorchException(TorchStatus status, string message) : Exception(message)
{
    public TorchStatus Status { get; } = status;
}
