using System.Globalization;

namespace ChatPlatform.Cli.Bench;

/// <summary>The process's resident memory as the kernel counts it (native allocations included), from /proc.</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes => StatusKilobytes("VmRSS:") * 1024;

    /// <summary>The peak resident size since start or since <see cref="ResetPeak"/>.</summary>
    public static long PeakResidentBytes => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Resets the peak to the current size (Linux: writing 5 to /proc/self/clear_refs).</summary>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
            // not permitted here: the peak then covers the whole process lifetime, which only overstates it
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }
}
