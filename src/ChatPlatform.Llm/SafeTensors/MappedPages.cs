using System.Runtime.InteropServices;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>
/// Drops the resident pages of a read-only file mapping once a tensor has been copied out. Mapped pages count in
/// the process's resident memory until the kernel reclaims them, so without this a model load peaks at twice the
/// weights (mapping + tensors). The file is unchanged; a later read simply faults the pages in again.
/// </summary>
internal static unsafe partial class MappedPages
{
    private const int MadvDontNeed = 4;

    public static void Release(byte* start, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0) return;
        var page = Environment.SystemPageSize;
        // Only whole pages inside the range: a partial page may hold a neighbouring tensor still to be read.
        var first = ((long)start + page - 1) / page * page;
        var end = ((long)start + length) / page * page;
        if (end > first) _ = madvise((void*)first, (nuint)(end - first), MadvDontNeed);  // advisory: failure only costs memory
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int madvise(void* address, nuint length, int advice);
}
