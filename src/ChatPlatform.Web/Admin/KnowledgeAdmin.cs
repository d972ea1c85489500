using ChatPlatform.Core.Knowledge;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// The knowledge base as the admin console changes it: uploaded files are kept under DATA_DIR/knowledge-uploads (the
/// index refers to them, so a document can be re-indexed), then indexed; delete and re-index act on one document.
/// Every change is audited.
/// </summary>
public sealed class KnowledgeAdmin(KnowledgeStore store, KnowledgeIngestor ingestor, IDbContextFactory<PlatformDbContext> contexts,
    IOptions<PlatformOptions> platform)
{
    /// <summary>Largest upload accepted, the ingestor's own limit.</summary>
    public static long MaxFileBytes => new IngestionLimits().MaxFileBytes;

    /// <summary>Copies an upload and indexes it at once (the command line's and tests' path; the console queues an indexing job).</summary>
    public async Task<IngestResult> UploadAsync(string fileName, Stream content, string actor, IProgress<long>? progress = null,
        CancellationToken ct = default)
    {
        var saved = await SaveUploadAsync(fileName, content, progress, ct);
        return saved.Error is { } error ? new IngestResult(fileName, IngestOutcome.Failed, Error: error) : await IndexUploadAsync(saved.Name!, actor, ct);
    }

    /// <summary>
    /// Copies an upload into the uploads folder (reporting bytes copied) under a safe name, which it returns; a name that
    /// is not allowed is an error naming the file, never an exception. Indexing is <see cref="IndexUploadAsync"/>.
    /// </summary>
    public async Task<(string? Name, string? Error)> SaveUploadAsync(string fileName, Stream content, IProgress<long>? progress = null,
        CancellationToken ct = default)
    {
        var name = SafeFileName(fileName);
        if (name is null) return (null, "the file name is empty or not allowed");
        Directory.CreateDirectory(platform.Value.KnowledgeUploads);
        var path = Path.Combine(platform.Value.KnowledgeUploads, name);
        var temp = path + ".upload-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = File.Create(temp))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    total += read;
                    progress?.Report(total);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return (name, null);
    }

    /// <summary>
    /// Indexes a file saved by <see cref="SaveUploadAsync"/>. A bad file is a Failed result naming the file, never an
    /// exception; a file of the same name indexed again replaces the document.
    /// </summary>
    public async Task<IngestResult> IndexUploadAsync(string savedName, string actor, CancellationToken ct = default)
    {
        var name = SafeFileName(savedName) ?? throw new ArgumentException($"'{savedName}' is not an upload's name");
        var path = Path.Combine(platform.Value.KnowledgeUploads, name);
        if (!File.Exists(path)) return new IngestResult(name, IngestOutcome.Failed, Error: $"the uploaded file {name} is no longer there");
        var result = await ingestor.AddFileAsync(path, ct: ct) with { Path = name };
        await RecordAsync(result, actor, ct);
        await AuditAsync(actor, "knowledge.upload", result.DocumentId, new { file = name, outcome = result.Outcome.ToString(), result.Chunks, result.Error }, ct);
        return result;
    }

    /// <summary>Removes the document from every index (and its uploaded file); false when there was no such document.</summary>
    public async Task<bool> DeleteAsync(string documentId, string actor, CancellationToken ct = default)
    {
        var document = store.GetDocument(documentId);
        if (document is null || !await store.DeleteDocumentAsync(documentId, ct)) return false;
        if (IsUpload(document.Path) && File.Exists(document.Path)) File.Delete(document.Path);
        await using (var db = await contexts.CreateDbContextAsync(ct))
            await DocumentHistory.RecordRemovalAsync(db, documentId, ct);
        await AuditAsync(actor, "knowledge.delete", documentId, new { document.Title, document.Path }, ct);
        return true;
    }

    /// <summary>Parses and chunks the document's file again, replacing its chunks even when the file is unchanged.</summary>
    public async Task<IngestResult> ReindexAsync(string documentId, string actor, CancellationToken ct = default)
    {
        var document = store.GetDocument(documentId) ?? throw new ArgumentException($"no knowledge document {documentId}");
        if (!File.Exists(document.Path))
            return new IngestResult(document.Path, IngestOutcome.Failed, documentId, Error: $"the source file {document.Path} no longer exists");
        // The ingestor skips unchanged files; removing the document first makes it index again from the file.
        await store.DeleteDocumentAsync(documentId, ct);
        var result = await ingestor.AddFileAsync(document.Path, document.Tags, ct);
        await RecordAsync(result, actor, ct);
        await AuditAsync(actor, "knowledge.reindex", documentId, new { outcome = result.Outcome.ToString(), result.Chunks, result.Error }, ct);
        return result;
    }

    private async Task RecordAsync(IngestResult result, string actor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await DocumentHistory.RecordIngestAsync(db, store, result, actor, ct);
    }

    private bool IsUpload(string path) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(platform.Value.KnowledgeUploads) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The browser's file name without any directory part or characters a file system or shell treats specially.</summary>
    internal static string? SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/')).Trim();
        var invalid = Path.GetInvalidFileNameChars();
        name = new string([.. name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]);
        return name.Length == 0 || name.StartsWith('.') ? null : name;
    }

    private async Task AuditAsync(string actor, string action, string? target, object details, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await Audit.WriteAsync(db, actor, action, target is null ? null : $"knowledge:{target}", details, ct);
    }
}
