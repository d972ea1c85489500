using System.Text.RegularExpressions;
using ChatPlatform.Core.Demo;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Tests.Demo;

/// <summary>The shipped demo (knowledge/ at the repository root) loads end to end into an empty platform.</summary>
public sealed class DemoDataTests
{
    static string KnowledgeFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "knowledge");
            if (Directory.Exists(Path.Combine(candidate, "support-logs"))) return candidate;
        }
        throw new DirectoryNotFoundException("knowledge/ not found above the test binaries");
    }

    [Fact]
    public async Task The_demo_loads_once_with_redaction_examples_and_documents()
    {
        using var dir = new TempDataDirectory();
        var ct = TestContext.Current.CancellationToken;

        var result = await DemoData.LoadIfEmptyAsync(dir.Path, KnowledgeFolder(), cancellationToken: ct);

        Assert.NotNull(result);
        Assert.Equal(3, result.Imports.Count);
        Assert.True(result.Imports.Sum(i => i.Imported) >= 200, $"imported {result.Imports.Sum(i => i.Imported)} conversations");
        Assert.True(result.Imports.Sum(i => i.Duplicates) > 0, "the demo's re-exported tickets are duplicates");
        Assert.All(result.Imports, i => Assert.Equal(0, i.Rejected));
        Assert.True(result.Examples.Created > 100, $"created {result.Examples.Created} examples");
        Assert.True(result.Examples.Flagged > 0, "low-value replies and unresolved tickets are flagged");
        Assert.True(result.Documents.Count >= 10 && result.Documents.All(d => d.Error is null && d.Chunks > 0));

        await using (var db = new PlatformDbContext(PlatformDatabase.Options(PlatformDatabase.ConnectionString(dir.Path))))
        {
            var texts = await db.Turns.Select(t => t.Text).ToListAsync(ct);
            var email = new Regex(@"[\w.+-]+@[\w-]+\.[\w.]+");
            Assert.DoesNotContain(texts, t => email.IsMatch(t) && !t.Contains("penguinwood.example"));
            Assert.DoesNotContain(texts, t => t.Contains("4111 1111 1111 1111") || Regex.IsMatch(t, @"PW-ORD-\d{6}"));
            Assert.All(await db.Examples.ToListAsync(ct), e => Assert.Equal(ExampleStatus.Pending, e.Status));
            // Each document added to the index is on record with its first version.
            var versions = await db.DocumentVersions.ToListAsync(ct);
            Assert.Equal(result.Documents.Count, await db.Documents.CountAsync(ct));
            Assert.All(versions, v => Assert.True(v.Version == 1 && v.ChunkCount > 0 && v.SizeBytes > 0 && v.ContentHash.Length == 64));
            // The demo has German and French tickets among the English ones: the import names their language, so
            // the example generator's language filter can act on it.
            var languages = await db.Conversations.GroupBy(c => c.Language).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
            Assert.True(languages.Single(l => l.Key == "en").Count > 150, string.Join(", ", languages.Select(l => $"{l.Key}:{l.Count}")));
            Assert.True(languages.Single(l => l.Key == "de").Count >= 3, string.Join(", ", languages.Select(l => $"{l.Key}:{l.Count}")));
            Assert.True(languages.Single(l => l.Key == "fr").Count >= 3, string.Join(", ", languages.Select(l => $"{l.Key}:{l.Count}")));
        }

        Assert.Null(await DemoData.LoadIfEmptyAsync(dir.Path, KnowledgeFolder(), cancellationToken: ct));
    }
}
