namespace ChatPlatform.Llm.Tokenization.PreTokenizers;

/// <summary>
/// A piece of normalized text on its way to the model. <see cref="AtTextStart"/> is true when the piece
/// begins at offset 0 of the original input, which Metaspace's prepend_scheme "first" depends on.
/// </summary>
internal readonly record struct PreToken(string Text, bool AtTextStart);

/// <summary>The "pre_tokenizer" step: splits a piece into the words the model tokenizes one by one.</summary>
internal interface IPreTokenizer
{
    /// <summary>Appends the non-empty sub-pieces of <paramref name="piece"/> to <paramref name="output"/>.</summary>
    void PreTokenize(PreToken piece, List<PreToken> output);
}

/// <summary>"Sequence": each pre-tokenizer splits every piece the previous one produced.</summary>
internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> preTokenizers) : IPreTokenizer
{
    public void PreTokenize(PreToken piece, List<PreToken> output)
    {
        var current = new List<PreToken> { piece };
        foreach (var p in preTokenizers)
        {
            var next = new List<PreToken>(current.Count * 2);
            foreach (var item in current) p.PreTokenize(item, next);
            current = next;
        }
        output.AddRange(current);
    }
}
