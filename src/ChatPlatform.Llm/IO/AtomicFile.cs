using System.Text;

namespace ChatPlatform.Llm.IO;

/// <summary>
/// Files written whole or not at all: into a unique temporary file in the same folder, flushed to disk, then renamed
/// over the target (rename is atomic within a file system). A crash or cancellation leaves the old file or none,
/// never a torn one; readers of the old file keep their view.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<FileStream> write, long preallocate = 0)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                PreallocationSize = preallocate,  // fails early when the disk is full
            }))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);  // rename(2): atomic within one file system
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));
}
