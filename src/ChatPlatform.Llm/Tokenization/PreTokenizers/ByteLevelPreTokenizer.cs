using System.Text;

namespace ChatPlatform.Llm.Tokenization.PreTokenizers;

/// <summary>
/// "ByteLevel" (GPT-2): optionally adds a leading space to each piece, optionally splits it with GPT-2's
/// word regex, then rewrites every UTF-8 byte as its printable stand-in character (<see cref="ByteLevelAlphabet"/>),
/// so the BPE vocabulary covers any input without an unknown token.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : IPreTokenizer
{
    // GPT-2's pattern, as Hugging Face's ByteLevel uses it.
    private static readonly TextPattern Gpt2Words =
        TextPattern.FromRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+");

    public void PreTokenize(PreToken piece, List<PreToken> output)
    {
        if (addPrefixSpace && !piece.Text.StartsWith(' ')) piece = piece with { Text = " " + piece.Text };
        var words = new List<PreToken>();
        if (useRegex) PieceSplitter.Split(piece, Gpt2Words.Matches(piece.Text), SplitDelimiterBehavior.Isolated, invert: false, words);
        else if (piece.Text.Length > 0) words.Add(piece);
        foreach (var word in words) output.Add(word with { Text = ByteLevelAlphabet.Encode(word.Text) });
    }
}
