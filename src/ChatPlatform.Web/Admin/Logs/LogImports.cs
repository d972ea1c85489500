using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Admin.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin.Logs;

/// <summary>
/// Support-log imports from the admin console: the upload is kept under DATA_DIR/log-uploads, then imported by an
/// import job (<see cref="SupportLogImporter"/>: streaming, redacted by the "Redaction" settings, idempotent) whose
/// result is the import summary; the history is the ImportRun rows with their rejections.
/// </summary>
public sealed class LogImports(JobRunner jobs, DbContextOptions<PlatformDbContext> database, IDbContextFactory<PlatformDbContext> contexts,
    IOptions<PlatformOptions> platform, IOptions<RedactionOptions> redaction)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Largest support-log upload the page accepts.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    /// <summary>Stores the upload and queues its import; a bad column map fails here, before anything is queued.</summary>
    public async Task<long> StartAsync(string fileName, Stream content, LogFormat format, string? columnMap, string actor, CancellationToken ct = default)
    {
        var map = ColumnMap.Parse(columnMap);
        var name = KnowledgeAdmin.SafeFileName(fileName) ?? throw new ArgumentException($"'{fileName}': the file name is empty or not allowed");
        Directory.CreateDirectory(platform.Value.LogUploads);
        var path = Path.Combine(platform.Value.LogUploads, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..24] + "-" + name);
        await using (var file = File.Create(path)) await content.CopyToAsync(file, ct);

        return await jobs.EnqueueAsync(JobKinds.Import, new { file = name, format = LogFormats.Name(format), columnMap }, actor, context =>
        {
            var importer = new SupportLogImporter(database, new PiiRedactor(redaction.Value));
            var progress = new InlineProgress(p => context.Report(p.TotalBytes == 0 ? 0 : (double)p.BytesRead / p.TotalBytes,
                $"{p.Records} records: {p.Imported} imported, {p.Duplicates} duplicates, {p.Rejected} rejected"));
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var summary = importer.Import(stream, name, format, new ImportOptions { Map = map }, progress, context.CancellationToken);
            context.Report(1, $"{summary.Imported} imported, {summary.Duplicates} duplicates, {summary.Rejected} rejected");
            return Task.FromResult<string?>(JsonSerializer.Serialize(summary, Json));
        }, ct, persistProgress: false);
    }

    public async Task<IReadOnlyList<ImportRun>> HistoryAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(100).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<ImportRejection>> RejectionsAsync(long importRunId, int take = 200, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ImportRejections.AsNoTracking().Where(r => r.ImportRunId == importRunId).OrderBy(r => r.Location).Take(take).ToListAsync(ct);
    }

    private sealed class InlineProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
