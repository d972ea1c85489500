using System.Text.RegularExpressions;

namespace ChatPlatform.Core.Import;

/// <summary>
/// Guesses a conversation's language (ISO 639-1) from its customer turns by counting each language's most frequent
/// function words: enough to tell support messages in English, German, French, Spanish, Italian, Dutch and Portuguese
/// apart, which is what the example generator's language filter needs. Null when the text is too short or no language
/// stands out, so that an unknown language is never guessed.
/// </summary>
public static partial class LanguageDetector
{
    static readonly (string Code, HashSet<string> Words)[] Languages =
    [
        ("en", Set("the and is it to my of you this that not have with for are can was but do")),
        ("de", Set("der die das und ist ich nicht mit ein eine es zu den auf ist mein habe sie wir aber")),
        ("fr", Set("le la les et est je ne pas un une des du que pour avec mon ma il vous sur mais")),
        ("es", Set("el la los las y es no que un una de del por con mi para se lo pero esta")),
        ("it", Set("il la di che non è un una per con mi ho sono ma lo gli del della questo")),
        ("nl", Set("de het een en is ik niet van dat met mijn op te zijn voor maar wat heb")),
        ("pt", Set("o a os as e é não que um uma de do da com meu minha para se mas por")),
    ];

    /// <summary>At least this many function words must be seen before a language is named.</summary>
    const int MinimumEvidence = 3;

    public static string? Detect(IEnumerable<string> texts)
    {
        var counts = new int[Languages.Length];
        foreach (var text in texts)
            foreach (Match word in Word().Matches(text))
            {
                var w = word.Value.ToLowerInvariant();
                for (var i = 0; i < Languages.Length; i++)
                    if (Languages[i].Words.Contains(w)) counts[i]++;
            }
        var best = 0;
        for (var i = 1; i < counts.Length; i++)
            if (counts[i] > counts[best]) best = i;
        var runnerUp = counts.Where((_, i) => i != best).Max();
        // Function words overlap between languages ("de", "la"): name one only when it clearly leads.
        return counts[best] >= MinimumEvidence && counts[best] >= 1.5 * runnerUp ? Languages[best].Code : null;
    }

    static HashSet<string> Set(string words) => new(words.Split(' '), StringComparer.Ordinal);

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
