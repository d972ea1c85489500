using System.Text;
using System.Text.RegularExpressions;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Rag.Chunking;

/// <summary>
/// Structure-aware chunking. A heading always starts a new chunk and sets the heading path; within a section,
/// blocks are packed into chunks of at most <see cref="ChunkingOptions.MaxTokens"/>. A block that fits is never
/// cut (a code block, table or list stays whole); one that does not is split along its grain: paragraphs at
/// sentences, lists at items, tables at rows (the header row repeated), code at lines (fences repeated), and only
/// a single over-long sentence or line at words. When a section continues into a new chunk, the previous chunk's
/// last units (up to <see cref="ChunkingOptions.OverlapTokens"/>) are repeated at its start.
/// </summary>
public sealed partial class Chunker(ITokenCounter counter, ChunkingOptions options)
{
    private readonly ChunkingOptions options = Validated(options);

    /// <summary>One piece of text to pack, with the separator that goes before it when it is not first in a chunk.</summary>
    private sealed record Unit(string Text, string Joiner, int Tokens);

    public IReadOnlyList<Chunk> Chunk(string documentId, ParsedDocument document)
    {
        var chunks = new List<Chunk>();
        var headings = new List<(int Level, string Text)>();
        var current = new List<Unit>();
        var path = Array.Empty<string>();

        void Emit()
        {
            if (current.Count == 0) return;
            var text = Join(current);
            chunks.Add(new Chunk(Chunking.Chunk.MakeId(documentId, chunks.Count, text), documentId, chunks.Count, path,
                                 text, counter.CountTokens(text)));
        }

        foreach (var block in document.Blocks)
        {
            if (block.Kind == BlockKind.Heading)
            {
                Emit();
                current.Clear();
                headings.RemoveAll(h => h.Level >= block.HeadingLevel);
                headings.Add((block.HeadingLevel, block.Text));
                path = headings.Select(h => h.Text).ToArray();
                continue;
            }
            var first = true;
            foreach (var piece in Split(block))
            {
                var unit = new Unit(piece.Text, first ? "\n\n" : piece.Joiner, counter.CountTokens(piece.Text));
                first = false;
                if (current.Count > 0 && counter.CountTokens(Join([.. current, unit])) > options.MaxTokens)
                {
                    Emit();
                    current = Overlap(current, unit);
                }
                current.Add(unit);
            }
        }
        Emit();
        return chunks;
    }

    /// <summary>The trailing units of a full chunk worth repeating before <paramref name="next"/>, within the overlap budget.</summary>
    private List<Unit> Overlap(List<Unit> previous, Unit next)
    {
        var kept = new List<Unit>();
        var tokens = 0;
        for (var i = previous.Count - 1; i >= 0 && tokens + previous[i].Tokens <= options.OverlapTokens; i--)
        {
            kept.Insert(0, previous[i]);
            tokens += previous[i].Tokens;
        }
        while (kept.Count > 0 && counter.CountTokens(Join([.. kept, next])) > options.MaxTokens) kept.RemoveAt(0);
        return kept;
    }

    private static string Join(IReadOnlyList<Unit> units)
    {
        var text = new StringBuilder(units[0].Text);
        for (var i = 1; i < units.Count; i++) text.Append(units[i].Joiner).Append(units[i].Text);
        return text.ToString();
    }

    /// <summary>A block as one piece when it fits, otherwise pieces along its grain, each within the budget.</summary>
    private IEnumerable<(string Text, string Joiner)> Split(DocumentBlock block)
    {
        if (counter.CountTokens(block.Text) <= options.MaxTokens) return [(block.Text, "\n\n")];
        return block.Kind switch
        {
            BlockKind.Table => SplitWithHeader(block.Text, TableHeaderLines(block.Text), ""),
            BlockKind.Code => SplitCode(block.Text),
            BlockKind.List => Pack(block.Text.Split('\n').SelectMany(l => Fit(l, " ")), "\n"),
            _ => Sentences().Split(block.Text).Where(s => s.Length > 0).SelectMany(s => Fit(s, " ")).Select(s => (s, " ")),
        };
    }

    /// <summary>Lines grouped into pieces that fit (used for list items).</summary>
    private IEnumerable<(string, string)> Pack(IEnumerable<string> lines, string joiner) =>
        Group(lines.ToList(), "", "", joiner).Select(p => (p, "\n"));

    private IEnumerable<(string, string)> SplitWithHeader(string text, int headerLines, string footer)
    {
        var lines = text.Split('\n');
        var header = string.Join('\n', lines.Take(headerLines));
        var body = lines.Skip(headerLines).SelectMany(l => Fit(l, " ")).ToList();
        return Group(body, header.Length > 0 ? header + "\n" : "", footer, "\n").Select(p => (p, "\n"));
    }

    private IEnumerable<(string, string)> SplitCode(string code)
    {
        var lines = code.Split('\n');
        var fenced = lines.Length >= 2 && lines[0].TrimStart().StartsWith("```", StringComparison.Ordinal)
                     && lines[^1].TrimStart().StartsWith("```", StringComparison.Ordinal);
        if (!fenced) return Group(lines.SelectMany(l => Fit(l, " ")).ToList(), "", "", "\n").Select(p => (p, "\n"));
        var body = lines[1..^1].SelectMany(l => Fit(l, " ")).ToList();
        return Group(body, lines[0] + "\n", "\n" + lines[^1], "\n").Select(p => (p, "\n"));
    }

    /// <summary>Greedy grouping of lines into pieces of at most MaxTokens including the repeated prefix and suffix.</summary>
    private List<string> Group(List<string> lines, string prefix, string suffix, string joiner)
    {
        var pieces = new List<string>();
        var group = new List<string>();
        string Render(IEnumerable<string> g) => prefix + string.Join(joiner, g) + suffix;
        foreach (var line in lines)
        {
            if (group.Count > 0 && counter.CountTokens(Render([.. group, line])) > options.MaxTokens)
            {
                pieces.Add(Render(group));
                group.Clear();
            }
            group.Add(line);
        }
        if (group.Count > 0) pieces.Add(Render(group));
        return pieces;
    }

    /// <summary>A sentence or line as is when it fits in half a chunk (room for a repeated header), else cut at words.</summary>
    private IEnumerable<string> Fit(string text, string joiner)
    {
        var budget = options.MaxTokens / 2;
        if (counter.CountTokens(text) <= budget) return [text];
        var pieces = new List<string>();
        var piece = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            var candidate = piece.Length == 0 ? word : piece + joiner + word;
            if (piece.Length > 0 && counter.CountTokens(candidate) > budget)
            {
                pieces.Add(piece.ToString());
                piece.Clear().Append(word);
            }
            else
            {
                piece.Clear().Append(candidate);
            }
        }
        if (piece.Length > 0) pieces.Add(piece.ToString());
        return pieces;
    }

    private static int TableHeaderLines(string table)
    {
        var lines = table.Split('\n');
        return lines.Length > 2 && SeparatorRow().IsMatch(lines[1]) ? 2 : 1;
    }

    private static ChunkingOptions Validated(ChunkingOptions options)
    {
        options.Validate();
        return options;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=\S)")]
    private static partial Regex Sentences();

    [GeneratedRegex(@"^\s*\|?\s*:?-{2,}")]
    private static partial Regex SeparatorRow();
}
