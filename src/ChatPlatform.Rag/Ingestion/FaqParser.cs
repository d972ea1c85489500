using System.Text;
using System.Text.Json;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// FAQ files: question/answer pairs, each becoming a heading (the question) followed by its answer, so every pair
/// is its own chunk with the question in its heading path.
/// JSON: an array of objects with "question" and "answer" strings, or an object whose "faq", "questions" or
/// "items" property is such an array. CSV: a header row with "question" and "answer" columns (RFC 4180 quoting).
/// </summary>
public static class FaqParser
{
    public static ParsedDocument ParseJson(string path, string json, string title)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            JsonElement items = default;
            var found = new[] { "faq", "questions", "items" }.Any(name => root.TryGetProperty(name, out items));
            if (!found || items.ValueKind != JsonValueKind.Array)
                throw new DocumentParseException(path, "JSON FAQ: expected an array of {question, answer} or an object with a \"faq\" array");
            root = items;
        }
        if (root.ValueKind != JsonValueKind.Array)
            throw new DocumentParseException(path, "JSON FAQ: expected an array of {question, answer} objects");
        var pairs = new List<(string, string)>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            pairs.Add((Field(path, item, index, "question"), Field(path, item, index, "answer")));
            index++;
        }
        return Build(path, pairs, title);
    }

    public static ParsedDocument ParseCsv(string path, string csv, string title)
    {
        var rows = ReadCsv(path, csv);
        if (rows.Count == 0) throw new DocumentParseException(path, "CSV FAQ: no header row");
        var header = rows[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var q = header.IndexOf("question");
        var a = header.IndexOf("answer");
        if (q < 0 || a < 0) throw new DocumentParseException(path, "CSV FAQ: line 1: the header needs \"question\" and \"answer\" columns");
        var pairs = new List<(string, string)>();
        foreach (var (line, fields) in rows.Skip(1))
        {
            if (fields.All(f => f.Trim().Length == 0)) continue;
            string Cell(int i, string name) => i < fields.Count && fields[i].Trim().Length > 0
                ? fields[i].Trim()
                : throw new DocumentParseException(path, $"CSV FAQ: line {line}: {name} is empty");
            pairs.Add((Cell(q, "question"), Cell(a, "answer")));
        }
        return Build(path, pairs, title);
    }

    private static ParsedDocument Build(string path, List<(string Question, string Answer)> pairs, string title)
    {
        if (pairs.Count == 0) throw new DocumentParseException(path, "FAQ file without question/answer pairs");
        var blocks = new List<DocumentBlock>();
        foreach (var (question, answer) in pairs)
        {
            blocks.Add(new DocumentBlock(BlockKind.Heading, question, 1));
            blocks.Add(new DocumentBlock(BlockKind.Paragraph, answer));
        }
        return new ParsedDocument(title, DocumentKind.Faq, blocks);
    }

    private static string Field(string path, JsonElement item, int index, string name)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw new DocumentParseException(path, $"JSON FAQ: item {index}: expected an object");
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
            throw new DocumentParseException(path, $"JSON FAQ: item {index}: \"{name}\" must be a non-empty string");
        return value.GetString()!.Trim();
    }

    /// <summary>RFC 4180: fields separated by commas, optionally quoted; "" inside quotes is a quote; quoted fields may span lines.</summary>
    private static List<(int Line, List<string> Fields)> ReadCsv(string path, string csv)
    {
        var rows = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        int line = 1, rowLine = 1;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; any = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    if (any || field.Length > 0) { fields.Add(field.ToString()); rows.Add((rowLine, fields)); }
                    fields = []; field.Clear(); any = false; line++; rowLine = line;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        if (quoted) throw new DocumentParseException(path, $"CSV FAQ: line {rowLine}: unterminated quoted field");
        if (any || field.Length > 0) { fields.Add(field.ToString()); rows.Add((rowLine, fields)); }
        return rows;
    }
}
