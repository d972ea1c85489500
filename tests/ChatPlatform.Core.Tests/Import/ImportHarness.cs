using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Tests.Import;

/// <summary>A fresh database and a file to import: writes the fixture text, imports it, reads back what was stored.</summary>
internal sealed class ImportHarness : IDisposable
{
    readonly TempDataDirectory dir = new();

    public ImportHarness(RedactionOptions? redaction = null)
    {
        Database = PlatformDatabase.Initialize(dir.Path);
        Importer = new SupportLogImporter(Database, new PiiRedactor(redaction ?? new RedactionOptions()));
    }

    public DbContextOptions<PlatformDbContext> Database { get; }

    public SupportLogImporter Importer { get; }

    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(dir.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    public ImportSummary Import(string name, string content, LogFormat format, ImportOptions? options = null) =>
        Importer.Import(Write(name, content), format, options);

    public List<SupportConversation> Conversations()
    {
        using var db = new PlatformDbContext(Database);
        var list = db.Conversations.Include(c => c.Turns).OrderBy(c => c.Id).ToList();
        foreach (var c in list) c.Turns.Sort((a, b) => a.Ordinal.CompareTo(b.Ordinal));
        return list;
    }

    public List<ImportRun> Runs()
    {
        using var db = new PlatformDbContext(Database);
        return db.ImportRuns.Include(r => r.Rejections).OrderBy(r => r.Id).ToList();
    }

    public void Dispose() => dir.Dispose();
}
