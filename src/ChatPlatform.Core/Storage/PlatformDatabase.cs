using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ChatPlatform.Core.Storage;

/// <summary>
/// Where the database lives and how it is opened: one SQLite file under the data directory, WAL journal,
/// migrations applied at start-up.
/// </summary>
public static class PlatformDatabase
{
    public const string FileName = "chatplatform.db";

    public static string ConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetFullPath(dataDirectory), FileName),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static DbContextOptions<PlatformDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<PlatformDbContext>().UseSqlite(connectionString).Options;

    /// <summary>Creates the data directory if needed, applies pending migrations and switches the file to WAL.</summary>
    public static DbContextOptions<PlatformDbContext> Initialize(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var options = Options(ConnectionString(dataDirectory));
        using var db = new PlatformDbContext(options);
        db.Database.Migrate();
        // WAL lets the web app read while an import or training job writes; it is a property of the file, set once.
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        return options;
    }
}

/// <summary>Lets `dotnet ef migrations add` build the context without the app's host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PlatformDbContext>
{
    public PlatformDbContext CreateDbContext(string[] args) =>
        new(PlatformDatabase.Options("Data Source=design-time.db"));
}
