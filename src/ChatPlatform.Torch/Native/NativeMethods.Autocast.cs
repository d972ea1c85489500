using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_autocast.h.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial int cs_autocast_enter(int deviceType, int dtype, out int previousEnabled, out int previousDtype);
    [LibraryImport(Lib)] internal static partial int cs_autocast_exit(int deviceType, int previousEnabled, int previousDtype);
    [LibraryImport(Lib)] internal static partial int cs_autocast_is_enabled(int deviceType, out int enabled);
}
