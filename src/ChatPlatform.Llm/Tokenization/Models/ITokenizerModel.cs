using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.Models;

/// <summary>The "model" of tokenizer.json: turns one pre-tokenized word into ids, and owns the vocabulary.</summary>
internal interface ITokenizerModel
{
    void Tokenize(string word, List<int> output);

    int? TokenToId(string token);

    string? IdToToken(int id);

    /// <summary>One more than the largest id in the vocabulary.</summary>
    int IdLimit { get; }
}

/// <summary>A token-to-id map with its reverse, shared by the models.</summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<int, string> _tokens;

    public Vocabulary(Dictionary<string, int> ids)
    {
        _ids = ids;
        _tokens = new Dictionary<int, string>(ids.Count);
        foreach (var (token, id) in ids) _tokens.TryAdd(id, token);
        IdLimit = ids.Count == 0 ? 0 : ids.Values.Max() + 1;
    }

    public int IdLimit { get; }
    public int Count => _ids.Count;

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);
    public int? TokenToId(string token) => _ids.TryGetValue(token, out int id) ? id : null;
    public string? IdToToken(int id) => _tokens.GetValueOrDefault(id);
    public bool Contains(string token) => _ids.ContainsKey(token);

    /// <summary>Reads a {"token": id} object.</summary>
    public static Vocabulary Parse(JsonFields model)
    {
        if (!model.TryGet("vocab", out var vocab)) throw model.Error("vocab", "is missing");
        if (vocab.ValueKind != System.Text.Json.JsonValueKind.Object) throw model.WrongType("vocab", vocab, "an object of token ids");
        var ids = new Dictionary<string, int>();
        foreach (var p in vocab.EnumerateObject())
        {
            if (!p.Value.TryGetInt32(out int id) || id < 0) throw model.Error("vocab", $"has a bad id for token '{p.Name}'");
            ids[p.Name] = id;
        }
        return new Vocabulary(ids);
    }
}
