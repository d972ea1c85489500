using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.Models;

/// <summary>"WordLevel": each word is one token, or the unknown token.</summary>
internal sealed class WordLevelModel(Vocabulary vocab, int? unkId) : ITokenizerModel
{
    public int IdLimit => vocab.IdLimit;
    public int? TokenToId(string token) => vocab.TokenToId(token);
    public string? IdToToken(int id) => vocab.IdToToken(id);

    public static WordLevelModel Parse(JsonFields model)
    {
        var vocab = Vocabulary.Parse(model);
        var unk = model.String("unk_token");
        int? unkId = unk is null ? null : vocab.TokenToId(unk) ?? throw model.Error("unk_token", $"'{unk}' is not in model.vocab");
        return new WordLevelModel(vocab, unkId);
    }

    public void Tokenize(string word, List<int> output)
    {
        if (vocab.TryGetId(word, out int id)) output.Add(id);
        else if (unkId is { } unk) output.Add(unk);
    }
}
