using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Teacher;

/// <summary>
/// A cheap check that an answer comes from its source: the share of the answer's content words (not stop words,
/// three characters or more, numbers included) that occur in the source text. A teacher that invents facts uses
/// words the chunk does not contain.
/// </summary>
public static partial class Grounding
{
    static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "your", "with", "this", "that", "from", "have", "has", "was",
        "were", "will", "can", "all", "any", "our", "they", "them", "their", "there", "what", "when", "which", "who",
        "how", "why", "into", "than", "then", "also", "may", "must", "should", "would", "could", "does", "did", "its",
        "it's", "yes", "each", "per", "more", "most", "some", "such", "only", "just", "about", "after", "before", "these",
        "those", "here", "out", "use", "using", "used", "need", "needs", "get", "one", "two", "via",
    };

    public static double Score(string answer, string source)
    {
        var sourceWords = Words(source).ToHashSet(StringComparer.Ordinal);
        var answerWords = Words(answer).Where(w => !StopWords.Contains(w)).ToList();
        if (answerWords.Count == 0) return 0;
        return (double)answerWords.Count(sourceWords.Contains) / answerWords.Count;
    }

    static IEnumerable<string> Words(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 3 || char.IsDigit(w[0]));

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex Word();
}
