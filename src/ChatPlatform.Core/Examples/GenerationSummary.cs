namespace ChatPlatform.Core.Examples;

/// <summary>What one generation run did: created examples, what was skipped and why, flags, duplicates, teacher calls.</summary>
public sealed class GenerationSummary
{
    public int Sources { get; set; }
    public int Created { get; set; }
    /// <summary>Created examples that carry at least one flag.</summary>
    public int Flagged { get; set; }
    public SortedDictionary<string, int> FlagCounts { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);
    /// <summary>Created examples that landed in a near-duplicate cluster.</summary>
    public int NearDuplicates { get; set; }
    public int TeacherCalls { get; set; }
    /// <summary>Teacher attempts that failed (HTTP error, timeout) and were retried.</summary>
    public int TeacherRetries { get; set; }
    /// <summary>Teacher requests that failed after every retry, or whose answer was unusable; each with its reason.</summary>
    public List<string> TeacherErrors { get; } = [];

    public int ExactDuplicates => Skipped.GetValueOrDefault(SkipReasons.ExactDuplicate);

    public void Skip(string reason, int count = 1)
    {
        if (count > 0) Skipped[reason] = Skipped.GetValueOrDefault(reason) + count;
    }

    public void CountFlags(IEnumerable<string> flags)
    {
        var any = false;
        foreach (var flag in flags)
        {
            FlagCounts[flag] = FlagCounts.GetValueOrDefault(flag) + 1;
            any = true;
        }
        if (any) Flagged++;
    }
}
