namespace ChatPlatform.Llm.Tests;

/// <summary>The real checkpoints in ../shared/models beside the repository (see its REFERENCE.md).</summary>
internal static class SharedModels
{
    public const string Stories260K = "stories260K-hf";
    public const string Stories260KUntied = "stories260K-hf-untied";

    /// <summary>The model folder, or a skipped test when this machine does not have it.</summary>
    public static string Folder(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatPlatform.sln"))) dir = dir.Parent;
        if (dir is null) Assert.Skip("the repository root (ChatPlatform.sln) is not above the test binaries");
        var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models", name));
        if (!Directory.Exists(folder)) Assert.Skip($"{folder} is not on this machine");
        return folder;
    }
}

/// <summary>A fresh folder under the temp directory, deleted with everything in it when disposed.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatplatform-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder must not fail a test
        }
    }
}
