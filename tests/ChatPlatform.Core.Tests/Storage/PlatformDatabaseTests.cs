using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Tests.Storage;

public sealed class PlatformDatabaseTests
{
    [Fact]
    public void Initialize_creates_the_file_applies_migrations_and_uses_wal()
    {
        using var dir = new TempDataDirectory();
        var options = PlatformDatabase.Initialize(System.IO.Path.Combine(dir.Path, "nested"));

        using var db = new PlatformDbContext(options);
        Assert.Empty(db.Database.GetPendingMigrations());
        Assert.True(File.Exists(System.IO.Path.Combine(dir.Path, "nested", PlatformDatabase.FileName)));
        var mode = db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").AsEnumerable().Single();
        Assert.Equal("wal", mode);
    }

    [Fact]
    public void A_saved_snapshot_cannot_be_modified_or_deleted()
    {
        using var dir = new TempDataDirectory();
        var options = PlatformDatabase.Initialize(dir.Path);
        using (var db = new PlatformDbContext(options))
        {
            db.Snapshots.Add(new DatasetSnapshot
            {
                Version = 1, ContentHash = "abc", ExampleCount = 1,
                Items = [new DatasetSnapshotItem { Ordinal = 0, ExampleId = 1, Messages = [new("user", "hi"), new("assistant", "hello")] }],
            });
            db.SaveChanges();
        }

        using (var db = new PlatformDbContext(options))
        {
            var snapshot = db.Snapshots.Include(s => s.Items).Single();
            snapshot.Items[0].Messages[1] = new("assistant", "changed");
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        }

        using (var db = new PlatformDbContext(options))
        {
            db.Snapshots.Remove(db.Snapshots.Single());
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        }

        using (var db = new PlatformDbContext(options))
            Assert.Equal("hello", db.SnapshotItems.Single().Messages[1].Content);
    }

    [Fact]
    public void Json_list_columns_save_in_place_edits()
    {
        using var dir = new TempDataDirectory();
        var options = PlatformDatabase.Initialize(dir.Path);
        using (var db = new PlatformDbContext(options))
        {
            db.Examples.Add(new SftExample { NormalizedHash = "h", Messages = [new("user", "q"), new("assistant", "a")], Flags = ["x"] });
            db.SaveChanges();
        }
        using (var db = new PlatformDbContext(options))
        {
            var example = db.Examples.Single();
            example.Messages[1] = new("assistant", "better");
            example.Flags.Add("edited");
            db.SaveChanges();
        }
        using (var db = new PlatformDbContext(options))
        {
            var example = db.Examples.Single();
            Assert.Equal("better", example.Messages[1].Content);
            Assert.Equal(["x", "edited"], example.Flags);
        }
    }
}
