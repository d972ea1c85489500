using ChatPlatform.Core.Dedup;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Examples;

/// <summary>
/// Stores generated or imported examples as pending (or approved) reviews: exact duplicates of a stored example or of
/// an earlier one in the batch are skipped; near-duplicate clusters are recomputed afterwards.
/// </summary>
public static class ExampleWriter
{
    /// <returns>The stored examples, with their ids and clusters.</returns>
    public static async Task<List<SftExample>> AddAsync(
        PlatformDbContext db, IEnumerable<ExampleCandidate> candidates, GenerationSummary summary,
        NearDuplicateOptions? nearDuplicates = null, ExampleStatus status = ExampleStatus.Pending,
        CancellationToken cancellationToken = default)
    {
        var known = (await db.Examples.Select(e => e.NormalizedHash).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        var added = new List<SftExample>();
        foreach (var candidate in candidates)
        {
            ExampleMessages.Validate(candidate.Messages);
            var hash = TextNormalizer.Hash(candidate.Messages);
            if (!known.Add(hash)) { summary.Skip(SkipReasons.ExactDuplicate); continue; }
            var example = new SftExample
            {
                Messages = [.. candidate.Messages],
                OriginalMessages = [.. candidate.Messages],
                Origin = candidate.Origin,
                SourceKind = candidate.SourceKind,
                SourceId = candidate.SourceId,
                Teacher = candidate.Teacher,
                Status = status,
                Flags = [.. candidate.Flags],
                NormalizedHash = hash,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Examples.Add(example);
            added.Add(example);
            summary.Created++;
            summary.CountFlags(example.Flags);
        }
        await db.SaveChangesAsync(cancellationToken);
        await ExampleClustering.ReclusterAsync(db, nearDuplicates, cancellationToken);
        summary.NearDuplicates += added.Count(e => e.DuplicateClusterId is not null);
        return added;
    }
}
