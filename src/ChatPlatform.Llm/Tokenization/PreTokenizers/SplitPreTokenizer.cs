namespace ChatPlatform.Llm.Tokenization.PreTokenizers;

/// <summary>
/// "Split": splits on a string or regex pattern with a delimiter behavior, or on everything the pattern
/// does not match when <c>invert</c> is set. Llama-3 and Qwen put their word regex here.
/// </summary>
internal sealed class SplitPreTokenizer(TextPattern pattern, SplitDelimiterBehavior behavior, bool invert) : IPreTokenizer
{
    public void PreTokenize(PreToken piece, List<PreToken> output) =>
        PieceSplitter.Split(piece, pattern.Matches(piece.Text), behavior, invert, output);
}

/// <summary>
/// Splits on single characters picked by a predicate: "WhitespaceSplit", "Punctuation", "Digits",
/// "CharDelimiterSplit" are all this with a different predicate and behavior.
/// </summary>
internal sealed class CharSplitPreTokenizer(Func<int, bool> isDelimiter, SplitDelimiterBehavior behavior) : IPreTokenizer
{
    public void PreTokenize(PreToken piece, List<PreToken> output) =>
        PieceSplitter.Split(piece, PieceSplitter.CharMatches(piece.Text, isDelimiter), behavior, invert: false, output);
}

/// <summary>"BertPreTokenizer": split on whitespace (dropped), then isolate each punctuation character.</summary>
internal sealed class BertPreTokenizer : IPreTokenizer
{
    private static readonly CharSplitPreTokenizer Whitespace = new(CharClasses.IsWhitespace, SplitDelimiterBehavior.Removed);
    private static readonly CharSplitPreTokenizer Punctuation = new(CharClasses.IsBertPunctuation, SplitDelimiterBehavior.Isolated);

    public void PreTokenize(PreToken piece, List<PreToken> output)
    {
        var words = new List<PreToken>();
        Whitespace.PreTokenize(piece, words);
        foreach (var word in words) Punctuation.PreTokenize(word, output);
    }
}

/// <summary>"Whitespace": keeps the runs matched by <c>\w+|[^\w\s]+</c> and drops the rest.</summary>
internal sealed class WhitespacePreTokenizer : IPreTokenizer
{
    private static readonly TextPattern Words = TextPattern.FromRegex(@"\w+|[^\w\s]+");

    public void PreTokenize(PreToken piece, List<PreToken> output) =>
        PieceSplitter.Split(piece, Words.Matches(piece.Text), SplitDelimiterBehavior.Removed, invert: true, output);
}
