using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Dedup;

/// <summary>What a reclustering found: clusters of two or more examples and how many examples they hold.</summary>
public sealed record ClusteringResult(int Clusters, int ClusteredExamples, int Changed);

/// <summary>
/// Recomputes every example's near-duplicate cluster (<c>DuplicateClusterId</c>) over the whole table, so that a new
/// example joins the cluster of an older near-copy. Rejected examples take part too: a reviewer sees that a pending
/// example resembles one already rejected.
/// </summary>
public static class ExampleClustering
{
    public static async Task<ClusteringResult> ReclusterAsync(
        PlatformDbContext db, NearDuplicateOptions? options = null, CancellationToken cancellationToken = default)
    {
        var examples = await db.Examples.OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var clusterer = new NearDuplicateClusterer(options);
        // Shingle the content only: role labels are the same in every example and would inflate similarity.
        var clusterOf = clusterer.Cluster(examples.Select(e => (e.Id, string.Join("\n", e.Messages.Select(m => m.Content)))).ToList());
        var changed = 0;
        foreach (var example in examples)
        {
            long? cluster = clusterOf.TryGetValue(example.Id, out var c) ? c : null;
            if (example.DuplicateClusterId == cluster) continue;
            example.DuplicateClusterId = cluster;
            changed++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new ClusteringResult(clusterOf.Values.Distinct().Count(), clusterOf.Count, changed);
    }
}
