using System.Security.Cryptography;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Knowledge;

/// <summary>
/// Keeps the platform database's record of knowledge documents in step with the retrieval index: every upload that
/// added or replaced a document becomes a new <see cref="DocumentVersion"/> (who, when, the file's hash and size, the
/// chunk count); a removal marks the document deleted. The index holds the chunks; this holds the history.
/// </summary>
public static class DocumentHistory
{
    public static async Task RecordIngestAsync(PlatformDbContext db, KnowledgeStore store, IngestResult result, string? actor,
        CancellationToken ct = default)
    {
        if (result.Outcome is not (IngestOutcome.Added or IngestOutcome.Replaced) || result.DocumentId is null) return;
        var indexed = store.GetDocument(result.DocumentId);
        if (indexed is null) return;
        var document = await db.Documents.Include(d => d.Versions).SingleOrDefaultAsync(d => d.IndexDocumentId == indexed.Id, ct);
        if (document is null)
        {
            document = new Domain.KnowledgeDocument
            {
                IndexDocumentId = indexed.Id, Title = indexed.Title, SourcePath = indexed.Path, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Documents.Add(document);
        }
        document.Title = indexed.Title;
        document.DeletedAt = null;
        var file = new FileInfo(indexed.Path);
        document.Versions.Add(new DocumentVersion
        {
            Version = document.Versions.Count == 0 ? 1 : document.Versions.Max(v => v.Version) + 1,
            ContentHash = file.Exists ? await HashAsync(file, ct) : indexed.ContentHash,
            MediaType = indexed.Kind.ToString().ToLowerInvariant(),
            SizeBytes = file.Exists ? file.Length : 0,
            ChunkCount = indexed.ChunkCount,
            UploadedAt = DateTimeOffset.UtcNow,
            UploadedBy = actor,
        });
        await db.SaveChangesAsync(ct);
    }

    public static async Task RecordRemovalAsync(PlatformDbContext db, string indexDocumentId, CancellationToken ct = default)
    {
        var document = await db.Documents.SingleOrDefaultAsync(d => d.IndexDocumentId == indexDocumentId, ct);
        if (document is null) return;
        document.DeletedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
    }

    static async Task<string> HashAsync(FileInfo file, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
