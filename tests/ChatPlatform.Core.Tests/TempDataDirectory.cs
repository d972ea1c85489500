using Microsoft.Data.Sqlite;

namespace ChatPlatform.Core.Tests;

/// <summary>A fresh data directory per test, removed afterwards (pooled SQLite connections released first).</summary>
public sealed class TempDataDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("chatplatform-core-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
