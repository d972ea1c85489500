using ChatPlatform.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ChatPlatform.Core.Storage;

/// <summary>
/// The platform's one database (SQLite, WAL). Open it through <see cref="PlatformDatabase"/>, which applies
/// migrations; the web app creates contexts through IDbContextFactory, one per operation.
/// </summary>
public sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options) : DbContext(options)
{
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();
    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();
    public DbSet<SupportConversation> Conversations => Set<SupportConversation>();
    public DbSet<ConversationTurn> Turns => Set<ConversationTurn>();
    public DbSet<KnowledgeDocument> Documents => Set<KnowledgeDocument>();
    public DbSet<DocumentVersion> DocumentVersions => Set<DocumentVersion>();
    public DbSet<SftExample> Examples => Set<SftExample>();
    public DbSet<SftExampleEdit> ExampleEdits => Set<SftExampleEdit>();
    public DbSet<DatasetSnapshot> Snapshots => Set<DatasetSnapshot>();
    public DbSet<DatasetSnapshotItem> SnapshotItems => Set<DatasetSnapshotItem>();
    public DbSet<TrainingRunRecord> TrainingRuns => Set<TrainingRunRecord>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<ChatSession> ChatSessions => Set<ChatSession>();
    public DbSet<ChatMessageRecord> ChatMessages => Set<ChatMessageRecord>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite cannot order or compare DateTimeOffset stored as text; as a sortable integer it can.
        configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configuration.Properties<Enum>().HaveConversion<string>();
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ImportRun>(e =>
        {
            e.HasMany(r => r.Rejections).WithOne().HasForeignKey(r => r.ImportRunId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => r.StartedAt);
        });

        model.Entity<SupportConversation>(e =>
        {
            e.HasIndex(c => new { c.TicketId, c.ContentHash }).IsUnique();
            e.HasIndex(c => c.ImportRunId);
            e.Property(c => c.Tags).StoredAsJson();
            e.HasMany(c => c.Turns).WithOne().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ConversationTurn>().HasIndex(t => new { t.ConversationId, t.Ordinal }).IsUnique();

        model.Entity<KnowledgeDocument>(e =>
        {
            e.HasIndex(d => d.IndexDocumentId).IsUnique();
            e.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<DocumentVersion>().HasIndex(v => new { v.DocumentId, v.Version }).IsUnique();

        model.Entity<SftExample>(e =>
        {
            e.Property(x => x.Messages).StoredAsJson();
            e.Property(x => x.OriginalMessages).StoredAsJson();
            e.Property(x => x.Flags).StoredAsJson();
            e.HasIndex(x => x.Status);
            e.HasIndex(x => x.NormalizedHash);
            e.HasIndex(x => x.DuplicateClusterId);
            e.HasIndex(x => new { x.SourceKind, x.SourceId });
            e.HasMany(x => x.Edits).WithOne().HasForeignKey(x => x.ExampleId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<SftExampleEdit>(e =>
        {
            e.Property(x => x.PreviousMessages).StoredAsJson();
            e.Property(x => x.NewMessages).StoredAsJson();
        });

        model.Entity<DatasetSnapshot>(e =>
        {
            e.HasIndex(s => s.Version).IsUnique();
            e.HasMany(s => s.Items).WithOne().HasForeignKey(i => i.SnapshotId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<DatasetSnapshotItem>(e =>
        {
            e.Property(i => i.Messages).StoredAsJson();
            e.HasIndex(i => new { i.SnapshotId, i.Ordinal }).IsUnique();
        });

        model.Entity<TrainingRunRecord>().HasIndex(r => r.CreatedAt);
        model.Entity<ModelVersion>().HasIndex(m => m.IsActive);
        model.Entity<ChatSession>(e =>
        {
            e.HasIndex(s => s.PublicId).IsUnique();
            e.HasMany(s => s.Messages).WithOne().HasForeignKey(m => m.SessionId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<AuditEntry>().HasIndex(a => a.At);
        model.Entity<Job>().HasIndex(j => new { j.Status, j.Kind });
        model.Entity<AdminUser>().HasIndex(u => u.Email).IsUnique();
        model.Entity<ApiKey>(e =>
        {
            e.HasIndex(k => k.KeyHash).IsUnique();
            e.Ignore(k => k.IsRevoked);
        });
    }

    /// <summary>Snapshots are immutable once saved: changing or deleting one (or an item) is refused.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseSnapshotChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseSnapshotChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    void RefuseSnapshotChanges()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is not (DatasetSnapshot or DatasetSnapshotItem)) continue;
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException(
                    $"Dataset snapshots are immutable: refusing to {(entry.State == EntityState.Deleted ? "delete" : "modify")} a saved {entry.Entity.GetType().Name}.");
        }
    }
}
