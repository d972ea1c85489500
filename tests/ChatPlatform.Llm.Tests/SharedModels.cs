namespace ChatPlatform.Llm.Tests;

/// <summary>Where the tests find the repository, its committed reference data, and ../shared beside it.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatPlatform.sln"))) return dir.FullName;
        throw new InvalidOperationException("ChatPlatform.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepositoryRoot => Root.Value;

    /// <summary>A folder of this test project's sources, e.g. "Tokenization/reference".</summary>
    public static string TestSource(string relative) => Path.Combine(RepositoryRoot, "tests", "ChatPlatform.Llm.Tests", relative);

    /// <summary>The shared folder next to the repository root (models and their reference outputs).</summary>
    public static string SharedDir => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
}

/// <summary>The real checkpoints in ../shared/models beside the repository (see its REFERENCE.md).</summary>
internal static class SharedModels
{
    public const string Stories260K = "stories260K-hf";
    public const string Stories260KUntied = "stories260K-hf-untied";

    /// <summary>The model folder, or a skipped test when this machine does not have it.</summary>
    public static string Folder(string name)
    {
        var folder = Path.Combine(TestPaths.SharedDir, "models", name);
        if (!Directory.Exists(folder)) Assert.Skip($"{folder} is not on this machine: the tests that need ../shared/models are skipped");
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
