using System.Text.Json;
using ChatPlatform.Rag.Ingestion;
using ChatPlatform.Web.Admin.Jobs;

namespace ChatPlatform.Web.Admin;

/// <summary>One file's outcome in an indexing job, as the Knowledge page and the job's result show it.</summary>
public sealed record IndexedFile(string File, string Outcome, int Chunks, string? Error)
{
    public bool Failed => Outcome == nameof(IngestOutcome.Failed);

    public static IndexedFile From(string file, IngestResult r) => new(file, r.Outcome.ToString(), r.Chunks, r.Error);
}

/// <summary>
/// Knowledge indexing as background jobs (kind <see cref="JobKinds.Indexing"/>): the files of one upload are indexed by
/// one job, file after file, reporting each file's outcome (and a bad file's error) as it goes; a re-index is a job of
/// its own. The job's result lists every file's outcome, so the Jobs page and a reloaded Knowledge page can show them.
/// </summary>
public sealed class KnowledgeIndexing(KnowledgeAdmin knowledge, JobRunner jobs)
{
    /// <summary>Queues indexing of files already saved by <see cref="KnowledgeAdmin.SaveUploadAsync"/>; returns the job id.</summary>
    public Task<long> IndexUploadsAsync(IReadOnlyList<string> savedNames, string actor, Action<IndexedFile>? onFile = null, CancellationToken ct = default)
    {
        if (savedNames.Count == 0) throw new ArgumentException("no files to index");
        return jobs.EnqueueAsync(JobKinds.Indexing, new { files = savedNames }, actor, async context =>
        {
            var results = new List<IndexedFile>();
            for (var i = 0; i < savedNames.Count; i++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                var name = savedNames[i];
                context.Report((double)i / savedNames.Count, $"indexing {name} ({i + 1}/{savedNames.Count})");
                var file = IndexedFile.From(name, await knowledge.IndexUploadAsync(name, actor, context.CancellationToken));
                results.Add(file);
                onFile?.Invoke(file);
            }
            var failed = results.Count(r => r.Failed);
            context.Report(1, $"{results.Count - failed} of {results.Count} file(s) indexed" + (failed > 0 ? $", {failed} failed" : ""));
            return JsonSerializer.Serialize(results);
        }, ct);
    }

    /// <summary>Queues a re-index of one document; the job fails with the reason when the document cannot be indexed.</summary>
    public Task<long> ReindexAsync(string documentId, string title, string actor, CancellationToken ct = default) =>
        jobs.EnqueueAsync(JobKinds.Indexing, new { reindex = documentId, title }, actor, async context =>
        {
            context.Report(0, $"re-indexing {title}");
            var result = await knowledge.ReindexAsync(documentId, actor, context.CancellationToken);
            if (result.Outcome == IngestOutcome.Failed) throw new InvalidDataException($"{title}: {result.Error}");
            context.Report(1, $"{title}: {result.Chunks} chunks");
            return JsonSerializer.Serialize(new[] { IndexedFile.From(title, result) });
        }, ct);

    /// <summary>The per-file outcomes a finished indexing job recorded.</summary>
    public static IReadOnlyList<IndexedFile> Results(string? resultJson) =>
        resultJson is null ? [] : JsonSerializer.Deserialize<List<IndexedFile>>(resultJson) ?? [];
}
