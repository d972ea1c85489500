namespace ChatPlatform.Rag.Ingestion;

public enum BlockKind
{
    Heading,
    Paragraph,
    List,
    Table,
    Code,
}

/// <summary>
/// One structural unit of a parsed document. The chunker keeps a block whole when it fits its budget and splits it
/// along the block's own grain otherwise (sentences, list items, table rows, code lines).
/// </summary>
/// <param name="HeadingLevel">1..6 for headings (1 = top), 0 otherwise.</param>
public sealed record DocumentBlock(BlockKind Kind, string Text, int HeadingLevel = 0);

/// <summary>A document's text as a sequence of structural blocks, independent of the file format it came from.</summary>
public sealed record ParsedDocument(string Title, DocumentKind Kind, IReadOnlyList<DocumentBlock> Blocks);
