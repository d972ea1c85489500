using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Examples;

/// <summary>A question and its answer found in a document.</summary>
public sealed record FaqPair(string Question, string Answer);

/// <summary>
/// Finds FAQ entries in a Markdown section: "Q: ... / A: ..." lines, a heading that ends with "?" followed by its
/// answer, or a section whose own heading is a question. These become examples directly, without a teacher.
/// </summary>
public static partial class MarkdownFaqExtractor
{
    public static IReadOnlyList<FaqPair> Extract(DocumentSection section)
    {
        var pairs = QaLines(section.Text);
        if (pairs.Count > 0) return pairs;
        pairs = QuestionHeadings(section.Text);
        if (pairs.Count > 0) return pairs;
        // The chunker may have cut the heading off into the section's path: "## How long does shipping take?" + text.
        var heading = section.HeadingPath.Count > 0 ? section.HeadingPath[^1] : section.Title;
        var answer = Clean(section.Text);
        return heading.TrimEnd().EndsWith('?') && answer.Length > 0 && !Heading().IsMatch(section.Text)
            ? [new FaqPair(StripMarkup(heading), answer)]
            : [];
    }

    static List<FaqPair> QaLines(string text)
    {
        var pairs = new List<FaqPair>();
        string? question = null;
        var answer = new List<string>();
        var inAnswer = false;
        void Flush()
        {
            if (question is not null && Clean(string.Join('\n', answer)) is { Length: > 0 } a) pairs.Add(new FaqPair(question, a));
            question = null;
            answer.Clear();
            inAnswer = false;
        }
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            var q = QLine().Match(line);
            var a = ALine().Match(line);
            if (q.Success) { Flush(); question = StripMarkup(q.Groups[1].Value); }
            else if (a.Success && question is not null) { inAnswer = true; answer.Add(a.Groups[1].Value); }
            else if (Heading().IsMatch(line)) Flush();
            else if (inAnswer) answer.Add(line);
        }
        Flush();
        return pairs;
    }

    static List<FaqPair> QuestionHeadings(string text)
    {
        var pairs = new List<FaqPair>();
        var matches = Heading().Matches(text);
        for (var i = 0; i < matches.Count; i++)
        {
            var title = matches[i].Groups[1].Value.Trim();
            if (!title.EndsWith('?')) continue;
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : text.Length;
            if (Clean(text[start..end]) is { Length: > 0 } answer) pairs.Add(new FaqPair(StripMarkup(title), answer));
        }
        return pairs;
    }

    static string Clean(string answer) => BlankLines().Replace(answer.Trim(), "\n\n");

    static string StripMarkup(string s) => s.Trim().Trim('*', '_').Trim();

    [GeneratedRegex(@"^\s*(?:\*\*|__)?(?:Q|Question)\s*[:.](?:\*\*|__)?\s*(.+?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex QLine();

    [GeneratedRegex(@"^\s*(?:\*\*|__)?(?:A|Answer)\s*[:.](?:\*\*|__)?\s*(.*?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ALine();

    [GeneratedRegex(@"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\n[ \t]*\n(\s*\n)+")]
    private static partial Regex BlankLines();
}
