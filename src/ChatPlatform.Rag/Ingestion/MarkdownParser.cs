using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// Markdown through Markdig's syntax tree. Each top-level block keeps its source text (so lists, tables and code
/// fences stay readable Markdown in the chunk); headings become plain heading text.
/// </summary>
public static class MarkdownParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static ParsedDocument Parse(string markdown, string fallbackTitle)
    {
        markdown = markdown.Replace("\r\n", "\n");
        var syntax = Markdown.Parse(markdown, Pipeline);
        var blocks = new List<DocumentBlock>();
        foreach (var block in syntax)
        {
            if (block is LinkReferenceDefinitionGroup or ThematicBreakBlock or BlankLineBlock) continue;
            var source = markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start)).Trim();
            var parsed = block switch
            {
                HeadingBlock h => new DocumentBlock(BlockKind.Heading, InlineText(h.Inline).Trim(), h.Level),
                FencedCodeBlock or CodeBlock => new DocumentBlock(BlockKind.Code, source),
                ListBlock => new DocumentBlock(BlockKind.List, source),
                Table => new DocumentBlock(BlockKind.Table, source),
                _ => new DocumentBlock(BlockKind.Paragraph, source),
            };
            if (parsed.Text.Length > 0) blocks.Add(parsed);
        }
        var title = blocks.FirstOrDefault(b => b is { Kind: BlockKind.Heading, HeadingLevel: 1 })?.Text ?? fallbackTitle;
        return new ParsedDocument(title, DocumentKind.Markdown, blocks);
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null) return "";
        var text = new System.Text.StringBuilder();
        foreach (var child in inline.Descendants())
        {
            switch (child)
            {
                case LiteralInline literal: text.Append(literal.Content.ToString()); break;
                case CodeInline code: text.Append(code.Content); break;
                case LineBreakInline: text.Append(' '); break;
            }
        }
        return text.ToString();
    }
}
