namespace ChatPlatform.Core.Examples;

/// <summary>
/// One section of an uploaded document, as example generation needs it: the retrieval chunker (ChatPlatform.Rag)
/// produces these; <paramref name="ChunkId"/> is the chunk's id in the index and becomes the examples' SourceId.
/// </summary>
/// <param name="HeadingPath">The headings above the section, outermost first ("Returns", "Refund timing").</param>
public sealed record DocumentSection(string DocumentId, string Title, IReadOnlyList<string> HeadingPath, string Text, string ChunkId);
