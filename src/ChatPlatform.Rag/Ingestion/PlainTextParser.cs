using System.Text.RegularExpressions;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>Plain text (and pdftotext output): paragraphs are separated by blank lines or form feeds (page breaks).</summary>
public static partial class PlainTextParser
{
    public static ParsedDocument Parse(string text, string title, DocumentKind kind = DocumentKind.PlainText)
    {
        var blocks = ParagraphBreak().Split(text.Replace("\r\n", "\n"))
            .Select(p => TrailingSpaces().Replace(p, "").Trim('\n'))
            .Where(p => p.Trim().Length > 0)
            .Select(p => new DocumentBlock(BlockKind.Paragraph, p.Trim()))
            .ToList();
        return new ParsedDocument(title, kind, blocks);
    }

    [GeneratedRegex(@"\n[ \t]*\n|\f")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"[ \t]+(?=\n|$)")]
    private static partial Regex TrailingSpaces();
}
