using System.IO.Packaging;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// DOCX through DocumentFormat.OpenXml. Headings come from paragraph styles (Title, Heading1..Heading9, or any
/// style whose name says "heading N"), consecutive numbered or list-styled paragraphs form one list, tables become
/// rows of cells separated by " | ".
/// </summary>
public static class DocxParser
{
    public static ParsedDocument Parse(string path, byte[] content, string fallbackTitle)
    {
        try
        {
            using var document = WordprocessingDocument.Open(new MemoryStream(content), false);
            var body = document.MainDocumentPart?.Document?.Body
                       ?? throw new DocumentParseException(path, "the DOCX has no document body");
            var styleNames = document.MainDocumentPart!.StyleDefinitionsPart?.Styles?.Elements<Style>()
                .Where(s => s.StyleId?.Value is not null)
                .ToDictionary(s => s.StyleId!.Value!, s => s.StyleName?.Val?.Value ?? s.StyleId!.Value!) ?? [];
            var blocks = new List<DocumentBlock>();
            var list = new List<string>();
            foreach (var element in body.ChildElements)
            {
                if (element is Paragraph paragraph)
                {
                    var text = paragraph.InnerText.Trim();
                    var styleId = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
                    var styleName = styleId is null ? "" : styleNames.GetValueOrDefault(styleId, styleId);
                    var isList = paragraph.ParagraphProperties?.NumberingProperties is not null
                                 || styleName.Contains("list", StringComparison.OrdinalIgnoreCase);
                    if (!isList) FlushList(list, blocks);
                    if (text.Length == 0) continue;
                    if (HeadingLevel(styleId, styleName) is { } level) blocks.Add(new DocumentBlock(BlockKind.Heading, text, level));
                    else if (isList) list.Add("- " + text);
                    else blocks.Add(new DocumentBlock(BlockKind.Paragraph, text));
                }
                else if (element is Table table)
                {
                    FlushList(list, blocks);
                    var rows = table.Elements<TableRow>()
                        .Select(r => "| " + string.Join(" | ", r.Elements<TableCell>().Select(c => c.InnerText.Trim())) + " |")
                        .ToList();
                    if (rows.Count > 0) blocks.Add(new DocumentBlock(BlockKind.Table, string.Join('\n', rows)));
                }
            }
            FlushList(list, blocks);
            var title = document.PackageProperties.Title is { Length: > 0 } t ? t
                : blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading)?.Text ?? fallbackTitle;
            return new ParsedDocument(title, DocumentKind.Docx, blocks);
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or System.Xml.XmlException)
        {
            throw new DocumentParseException(path, $"corrupt DOCX ({e.Message})");
        }
    }

    private static int? HeadingLevel(string? styleId, string styleName)
    {
        if (styleId is null) return null;
        if (styleId.Equals("Title", StringComparison.OrdinalIgnoreCase) || styleName.Equals("Title", StringComparison.OrdinalIgnoreCase)) return 1;
        foreach (var name in new[] { styleId, styleName.Replace(" ", "") })
        {
            if (name.StartsWith("Heading", StringComparison.OrdinalIgnoreCase) && int.TryParse(name.AsSpan(7), out var level))
                return Math.Clamp(level, 1, 6);
        }
        return null;
    }

    private static void FlushList(List<string> items, List<DocumentBlock> blocks)
    {
        if (items.Count == 0) return;
        blocks.Add(new DocumentBlock(BlockKind.List, string.Join('\n', items)));
        items.Clear();
    }
}
