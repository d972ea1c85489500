using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_core.h.</summary>
internal static partial class NativeMethods
{
    internal const string Lib = "chatplatform_torch";

    [LibraryImport(Lib)] internal static partial IntPtr cs_last_error();
    [LibraryImport(Lib)] internal static partial int cs_version(out int major, out int minor, out int patch);
    [LibraryImport(Lib)] internal static partial int cs_get_num_threads(out int n);
    [LibraryImport(Lib)] internal static partial int cs_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int cs_get_num_interop_threads(out int n);
    [LibraryImport(Lib)] internal static partial int cs_live_tensor_handles(out long n);

    /// <summary>Turns a non-zero status into a <see cref="TorchException"/> carrying libtorch's message.</summary>
    internal static void Check(int status)
    {
        if (status != 0) Throw(status);
    }

    private static void Throw(int status) =>
        throw new TorchException((TorchStatus)status, Marshal.PtrToStringUTF8(cs_last_error()) ?? "(no message)");
}
