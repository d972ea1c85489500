using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Review;

/// <summary>Which examples a reviewer is looking at; every criterion is optional and they combine with AND.</summary>
/// <param name="Text">Case-insensitive substring of any message's content.</param>
public sealed record ExampleQuery(
    ExampleStatus? Status = null,
    ExampleOrigin? Origin = null,
    string? SourceKind = null,
    string? SourceId = null,
    string? Flag = null,
    long? ClusterId = null,
    string? Text = null);

/// <summary>One page of examples in a stable order (id ascending) and how many match in all.</summary>
public sealed record ExamplePage(IReadOnlyList<SftExample> Items, int TotalCount, int Page, int PageSize);

/// <summary>Counts a review dashboard shows.</summary>
public sealed record ReviewStatistics(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByOrigin,
    IReadOnlyDictionary<string, int> ByFlag,
    int Clusters,
    int ClusteredExamples,
    int LargestCluster);
