using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.Models;

/// <summary>
/// "WordPiece" (BERT): greedy longest-match-first from the start of the word, pieces after the first
/// carrying the "##" prefix; a word with an unmatchable rest, or longer than max_input_chars_per_word
/// characters, becomes the single unknown token.
/// </summary>
internal sealed class WordPieceModel(Vocabulary vocab, int unkId, string prefix, int maxInputCharsPerWord) : ITokenizerModel
{
    public int IdLimit => vocab.IdLimit;
    public int? TokenToId(string token) => vocab.TokenToId(token);
    public string? IdToToken(int id) => vocab.IdToToken(id);

    public static WordPieceModel Parse(JsonFields model)
    {
        var vocab = Vocabulary.Parse(model);
        var unk = model.String("unk_token") ?? "[UNK]";
        int unkId = vocab.TokenToId(unk) ?? throw model.Error("unk_token", $"'{unk}' is not in model.vocab");
        return new WordPieceModel(vocab, unkId, model.String("continuing_subword_prefix") ?? "##",
            model.Int("max_input_chars_per_word") ?? 100);
    }

    public void Tokenize(string word, List<int> output)
    {
        if (word.EnumerateRunes().Count() > maxInputCharsPerWord)
        {
            output.Add(unkId);
            return;
        }
        var pieces = new List<int>();
        int start = 0;
        while (start < word.Length)
        {
            int end = word.Length;
            int found = -1;
            while (start < end)
            {
                var sub = start > 0 ? prefix + word[start..end] : word[start..end];
                if (vocab.TryGetId(sub, out found)) break;
                found = -1;
                end -= end >= 2 && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
            }
            if (found < 0)
            {
                output.Add(unkId);
                return;
            }
            pieces.Add(found);
            start = end;
        }
        output.AddRange(pieces);
    }
}
