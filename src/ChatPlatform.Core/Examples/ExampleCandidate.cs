using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Examples;

/// <summary>An example produced by generation before it is deduplicated and stored.</summary>
public sealed record ExampleCandidate(
    IReadOnlyList<ExampleMessage> Messages,
    ExampleOrigin Origin,
    string SourceKind,
    string SourceId,
    IReadOnlyList<string> Flags,
    string? Teacher = null);
