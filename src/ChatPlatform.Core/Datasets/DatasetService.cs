using System.Text;
using ChatPlatform.Core.Dedup;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Datasets;

/// <summary>What an import did.</summary>
public sealed record ImportResult(int Lines, int Imported, int ExactDuplicates);

/// <summary>Files written for a training run from one snapshot.</summary>
public sealed record TrainingFiles(string TrainPath, string EvalPath, int TrainCount, int EvalCount);

/// <summary>
/// Dataset snapshots (immutable, versioned freezes of the approved examples), the train/eval files a training run
/// reads from one, and JSONL export and import.
/// </summary>
public sealed class DatasetService(DbContextOptions<PlatformDbContext> options)
{
    /// <summary>Freezes every approved example, in id order, as version max+1. No approved example is an error.</summary>
    public async Task<DatasetSnapshot> CreateSnapshotAsync(string? name, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = new PlatformDbContext(options);
        var approved = await db.Examples.AsNoTracking().Where(e => e.Status == ExampleStatus.Approved)
            .OrderBy(e => e.Id).ToListAsync(cancellationToken);
        if (approved.Count == 0) throw new InvalidOperationException("cannot create a dataset snapshot: no approved examples");

        var version = (await db.Snapshots.MaxAsync(s => (int?)s.Version, cancellationToken) ?? 0) + 1;
        var snapshot = new DatasetSnapshot
        {
            Version = version,
            Name = name,
            CreatedAt = DateTimeOffset.UtcNow,
            CreatedBy = actor,
            ContentHash = SnapshotHash.Compute(approved.Select(e => (IReadOnlyList<ExampleMessage>)e.Messages)),
            ExampleCount = approved.Count,
            Items = [.. approved.Select((e, i) => new DatasetSnapshotItem
            {
                Ordinal = i, ExampleId = e.Id, DuplicateClusterId = e.DuplicateClusterId, Messages = [.. e.Messages],
            })],
        };
        db.Snapshots.Add(snapshot);
        await db.SaveChangesAsync(cancellationToken);
        await Audit.WriteAsync(db, actor, "snapshot.create", $"snapshot:{snapshot.Id}",
            new { snapshot.Version, snapshot.Name, snapshot.ExampleCount, snapshot.ContentHash }, cancellationToken);
        return snapshot;
    }

    public async Task<IReadOnlyList<DatasetSnapshot>> ListSnapshotsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = new PlatformDbContext(options);
        return await db.Snapshots.AsNoTracking().OrderBy(s => s.Version).ToListAsync(cancellationToken);
    }

    public async Task<DatasetSnapshot> GetSnapshotByVersionAsync(int version, CancellationToken cancellationToken = default)
    {
        await using var db = new PlatformDbContext(options);
        return await db.Snapshots.AsNoTracking().Include(s => s.Items.OrderBy(i => i.Ordinal))
                   .SingleOrDefaultAsync(s => s.Version == version, cancellationToken)
               ?? throw new ArgumentException($"no dataset snapshot version {version}");
    }

    /// <summary>
    /// Writes train.jsonl and eval.jsonl (OpenAI chat format) into <paramref name="directory"/> from one snapshot,
    /// split by near-duplicate cluster so that no cluster straddles the two. Same snapshot and seed, same files.
    /// </summary>
    public async Task<TrainingFiles> WriteTrainingFilesAsync(long snapshotId, string directory,
        double evalFraction = ClusterAwareSplit.DefaultEvalFraction, int seed = 42, CancellationToken cancellationToken = default)
    {
        await using var db = new PlatformDbContext(options);
        var items = await db.SnapshotItems.AsNoTracking().Where(i => i.SnapshotId == snapshotId)
            .OrderBy(i => i.Ordinal).ToListAsync(cancellationToken);
        if (items.Count == 0) throw new ArgumentException($"no dataset snapshot with id {snapshotId}");

        var (train, eval) = ClusterAwareSplit.Split(items, ClusterKey, evalFraction, seed);
        Directory.CreateDirectory(directory);
        var trainPath = Path.Combine(directory, "train.jsonl");
        var evalPath = Path.Combine(directory, "eval.jsonl");
        await WriteLinesAsync(trainPath, train.Select(i => DatasetJsonl.ToLine(i.Messages, DatasetFormat.OpenAI)), cancellationToken);
        await WriteLinesAsync(evalPath, eval.Select(i => DatasetJsonl.ToLine(i.Messages, DatasetFormat.OpenAI)), cancellationToken);
        return new TrainingFiles(trainPath, evalPath, train.Count, eval.Count);
    }

    /// <summary>Items without a near-duplicate are each their own cluster.</summary>
    public static string ClusterKey(DatasetSnapshotItem item) =>
        item.DuplicateClusterId is { } c ? $"c{c}" : $"e{item.ExampleId}";

    /// <summary>
    /// Exports one snapshot version, or without one the approved examples as they are now; returns the line count.
    /// </summary>
    public async Task<int> ExportAsync(DatasetFormat format, string path, int? snapshotVersion, string actor,
        CancellationToken cancellationToken = default)
    {
        List<List<ExampleMessage>> examples;
        if (snapshotVersion is { } version)
            examples = [.. (await GetSnapshotByVersionAsync(version, cancellationToken)).Items.Select(i => i.Messages)];
        else
        {
            await using var db = new PlatformDbContext(options);
            examples = await db.Examples.AsNoTracking().Where(e => e.Status == ExampleStatus.Approved)
                .OrderBy(e => e.Id).Select(e => e.Messages).ToListAsync(cancellationToken);
        }
        await WriteLinesAsync(path, examples.Select(m => DatasetJsonl.ToLine(m, format)), cancellationToken);
        await using (var db = new PlatformDbContext(options))
            await Audit.WriteAsync(db, actor, "dataset.export", path, new { format = format.ToString(), snapshotVersion, lines = examples.Count }, cancellationToken);
        return examples.Count;
    }

    /// <summary>
    /// Imports a JSONL file as manual examples, pending review unless <paramref name="approve"/>. The whole file is
    /// checked first: a bad line fails the import with file:line and nothing is stored. Blank lines are skipped.
    /// </summary>
    public async Task<ImportResult> ImportAsync(string path, DatasetFormat format, bool approve, string actor,
        NearDuplicateOptions? nearDuplicates = null, CancellationToken cancellationToken = default)
    {
        var name = Path.GetFileName(path);
        var candidates = new List<ExampleCandidate>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, Encoding.UTF8, cancellationToken))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var messages = DatasetJsonl.FromLine(line, format, name, lineNumber);
            candidates.Add(new ExampleCandidate(messages, ExampleOrigin.Manual, "manual", $"{name}:{lineNumber}", []));
        }
        await using var db = new PlatformDbContext(options);
        var summary = new GenerationSummary();
        await ExampleWriter.AddAsync(db, candidates, summary, nearDuplicates,
            approve ? ExampleStatus.Approved : ExampleStatus.Pending, cancellationToken);
        var result = new ImportResult(candidates.Count, summary.Created, summary.ExactDuplicates);
        await Audit.WriteAsync(db, actor, "dataset.import", path, new { format = format.ToString(), approve, result }, cancellationToken);
        return result;
    }

    /// <summary>Writes next to the target and renames, so a reader never sees a half-written file.</summary>
    static async Task WriteLinesAsync(string path, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
            {
                writer.NewLine = "\n";
                foreach (var line in lines) await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
