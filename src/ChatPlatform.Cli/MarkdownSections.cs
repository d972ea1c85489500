using System.Text.RegularExpressions;
using ChatPlatform.Core.Examples;

namespace ChatPlatform.Cli;

/// <summary>
/// Document sections for `examples generate --from documents --docs DIR`: each Markdown file split at its headings.
/// A stand-in until the retrieval index (ChatPlatform.Rag) supplies its chunks; the chunk id is "path#ordinal".
/// </summary>
internal static partial class MarkdownSections
{
    public static IEnumerable<DocumentSection> Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--docs: no folder {folder}");
        foreach (var file in Directory.EnumerateFiles(folder, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file);
            var text = File.ReadAllText(file);
            var headings = Heading().Matches(text);
            var path = new List<(int Level, string Title)>();
            var starts = headings.Select(h => h.Index).Prepend(0).Append(text.Length).ToList();
            for (var i = 0; i + 1 < starts.Count; i++)
            {
                if (i > 0)
                {
                    var h = headings[i - 1];
                    var level = h.Groups[1].Value.Length;
                    path.RemoveAll(p => p.Level >= level);
                    path.Add((level, h.Groups[2].Value.Trim()));
                }
                var body = text[starts[i]..starts[i + 1]];
                if (i > 0) body = body[(body.IndexOf('\n') is var n && n >= 0 ? n + 1 : body.Length)..];
                if (string.IsNullOrWhiteSpace(body)) continue;
                var titles = path.Select(p => p.Title).ToList();
                yield return new DocumentSection(relative, titles.FirstOrDefault() ?? relative, titles, body.Trim(), $"{relative}#{i}");
            }
        }
    }

    [GeneratedRegex(@"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
