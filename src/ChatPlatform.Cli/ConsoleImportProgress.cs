using ChatPlatform.Core.Import;

namespace ChatPlatform.Cli;

/// <summary>Import progress as a bar on stderr, redrawn in place, when stderr is a terminal (silent otherwise).</summary>
internal sealed class ConsoleImportProgress : IProgress<ImportProgress>
{
    private readonly bool bar = !Console.IsErrorRedirected;

    public void Report(ImportProgress p)
    {
        if (!bar) return;
        const int width = 30;
        var fraction = p.TotalBytes > 0 ? Math.Clamp((double)p.BytesRead / p.TotalBytes, 0, 1) : 0;
        var filled = (int)(fraction * width);
        Console.Error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction:P0} {p.Records} records: {p.Imported} imported, {p.Duplicates} duplicates, {p.Rejected} rejected  ");
    }

    public void Clear()
    {
        if (bar) Console.Error.Write("\r" + new string(' ', 110) + "\r");
    }
}
