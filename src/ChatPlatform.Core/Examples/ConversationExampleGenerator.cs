using ChatPlatform.Core.Dedup;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Examples;

/// <summary>
/// Generates pending SFT examples from every imported support conversation that has none yet. Running it again
/// after new imports adds only the new conversations' examples.
/// </summary>
public static class ConversationExampleGenerator
{
    public static async Task<GenerationSummary> GenerateAsync(
        PlatformDbContext db, ConversationExampleOptions options, string actor,
        NearDuplicateOptions? nearDuplicates = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var summary = new GenerationSummary();
        var done = (await db.Examples.Where(e => e.SourceKind == ConversationExampleBuilder.SourceKind)
                .Select(e => e.SourceId).Distinct().ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        var candidates = new List<ExampleCandidate>();
        var conversations = db.Conversations.AsNoTracking().Include(c => c.Turns).OrderBy(c => c.Id).AsAsyncEnumerable();
        await foreach (var conversation in conversations.WithCancellation(cancellationToken))
        {
            summary.Sources++;
            if (done.Contains(conversation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                summary.Skip(SkipReasons.AlreadyGenerated);
                continue;
            }
            var result = ConversationExampleBuilder.Build(conversation, options);
            candidates.AddRange(result.Examples);
            foreach (var reason in result.Skipped) summary.Skip(reason);
        }

        await ExampleWriter.AddAsync(db, candidates, summary, nearDuplicates, cancellationToken: cancellationToken);
        await Audit.WriteAsync(db, actor, "examples.generate", "conversations", summary, cancellationToken);
        return summary;
    }
}
