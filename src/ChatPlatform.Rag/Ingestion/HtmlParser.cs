using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// HTML through AngleSharp: scripts, styles and navigation chrome are dropped; h1-h6, paragraphs, lists, tables and
/// pre blocks become blocks; text sitting directly in other containers becomes paragraphs.
/// </summary>
public static class HtmlParser
{
    private static readonly HashSet<string> Dropped = ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "NAV", "SVG", "IFRAME", "HEAD"];

    public static ParsedDocument Parse(string html, string fallbackTitle)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var blocks = new List<DocumentBlock>();
        if (document.Body is { } body) Walk(body, blocks);
        var title = document.Title is { Length: > 0 } t ? t.Trim()
            : blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading)?.Text ?? fallbackTitle;
        return new ParsedDocument(title, DocumentKind.Html, blocks);
    }

    private static void Walk(INode node, List<DocumentBlock> blocks)
    {
        var loose = new System.Text.StringBuilder();
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
            {
                loose.Append(text.Data);
                continue;
            }
            if (child is not IElement element) continue;
            if (Dropped.Contains(element.TagName)) continue;
            if (IsInline(element))
            {
                loose.Append(element.TextContent);
                continue;
            }
            Flush(loose, blocks);
            switch (element.TagName)
            {
                case "H1" or "H2" or "H3" or "H4" or "H5" or "H6":
                    Add(blocks, BlockKind.Heading, Collapse(element.TextContent), element.TagName[1] - '0');
                    break;
                case "P" or "BLOCKQUOTE" or "DT" or "DD" or "FIGCAPTION":
                    Add(blocks, BlockKind.Paragraph, Collapse(element.TextContent));
                    break;
                case "UL" or "OL":
                    Add(blocks, BlockKind.List, string.Join('\n', element.Children.Where(c => c.TagName == "LI")
                        .Select((li, i) => (element.TagName == "OL" ? $"{i + 1}. " : "- ") + Collapse(li.TextContent))));
                    break;
                case "TABLE":
                    Add(blocks, BlockKind.Table, string.Join('\n', element.QuerySelectorAll("tr")
                        .Select(tr => "| " + string.Join(" | ", tr.Children.Select(c => Collapse(c.TextContent))) + " |")));
                    break;
                case "PRE":
                    Add(blocks, BlockKind.Code, element.TextContent.Trim('\n'));
                    break;
                default:
                    Walk(element, blocks);
                    break;
            }
        }
        Flush(loose, blocks);
    }

    private static bool IsInline(IElement e) => e.TagName is "A" or "SPAN" or "B" or "STRONG" or "I" or "EM" or "CODE" or "SMALL"
        or "SUB" or "SUP" or "ABBR" or "KBD" or "MARK" or "U" or "S" or "Q" or "CITE" or "TIME" or "LABEL" or "BR";

    private static void Flush(System.Text.StringBuilder loose, List<DocumentBlock> blocks)
    {
        Add(blocks, BlockKind.Paragraph, Collapse(loose.ToString()));
        loose.Clear();
    }

    private static void Add(List<DocumentBlock> blocks, BlockKind kind, string text, int level = 0)
    {
        if (text.Trim().Length > 0) blocks.Add(new DocumentBlock(kind, text.Trim(), level));
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
