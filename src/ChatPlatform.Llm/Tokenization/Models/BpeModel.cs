using System.Collections.Concurrent;
using System.Text.Json;
using System.Text;
using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization.Models;

/// <summary>
/// "BPE": a word starts as one symbol per character (or its byte-fallback tokens, or the unknown token),
/// then adjacent pairs merge in order of merge rank until none applies (Hugging Face's models/bpe).
/// </summary>
internal sealed class BpeModel : ITokenizerModel
{
    // Hugging Face caches 10,000 words; a bounded cache keeps memory flat on endless distinct input.
    private const int CacheCapacity = 10_000;

    private readonly Vocabulary _vocab;
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;
    private readonly int? _unkId;
    private readonly bool _fuseUnk;
    private readonly bool _byteFallback;
    private readonly bool _ignoreMerges;
    private readonly string? _continuingSubwordPrefix;
    private readonly string? _endOfWordSuffix;
    private readonly int[]? _byteTokenIds;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    private BpeModel(Vocabulary vocab, Dictionary<long, (int, int)> merges, int? unkId, bool fuseUnk, bool byteFallback,
        bool ignoreMerges, string? continuingSubwordPrefix, string? endOfWordSuffix)
    {
        _vocab = vocab;
        _merges = merges;
        _unkId = unkId;
        _fuseUnk = fuseUnk;
        _byteFallback = byteFallback;
        _ignoreMerges = ignoreMerges;
        _continuingSubwordPrefix = continuingSubwordPrefix;
        _endOfWordSuffix = endOfWordSuffix;
        if (byteFallback) _byteTokenIds = ByteTokenIds(vocab);
    }

    public int IdLimit => _vocab.IdLimit;
    public int? TokenToId(string token) => _vocab.TokenToId(token);
    public string? IdToToken(int id) => _vocab.IdToToken(id);

    public static BpeModel Parse(JsonFields model)
    {
        var vocab = Vocabulary.Parse(model);
        // An empty string means "none" in GPT-2-era files.
        string? prefix = NullIfEmpty(model.String("continuing_subword_prefix"));
        string? suffix = NullIfEmpty(model.String("end_of_word_suffix"));
        var merges = ParseMerges(model, vocab, prefix);

        int? unkId = null;
        if (model.String("unk_token") is { } unk)
        {
            unkId = vocab.TokenToId(unk) ?? throw model.Error("unk_token", $"'{unk}' is not in model.vocab");
        }
        return new BpeModel(vocab, merges, unkId, model.Bool("fuse_unk") ?? false, model.Bool("byte_fallback") ?? false,
            model.Bool("ignore_merges") ?? false, prefix, suffix);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    // Merges come as "a b" strings (split on the one space) or as ["a", "b"] pairs; rank is the position.
    private static Dictionary<long, (int, int)> ParseMerges(JsonFields model, Vocabulary vocab, string? prefix)
    {
        var array = model.RequiredArray("merges");
        var merges = new Dictionary<long, (int, int)>(array.GetArrayLength());
        int rank = 0;
        foreach (var item in array.EnumerateArray())
        {
            string a, b;
            if (item.ValueKind == JsonValueKind.String)
            {
                var parts = item.GetString()!.Split(' ');
                if (parts.Length != 2) throw model.Error($"merges[{rank}]", $"must be \"left right\", not '{item.GetString()}'");
                (a, b) = (parts[0], parts[1]);
            }
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2
                     && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String)
            {
                (a, b) = (item[0].GetString()!, item[1].GetString()!);
            }
            else throw model.Error($"merges[{rank}]", "must be a \"left right\" string or a [left, right] pair");

            int aId = vocab.TokenToId(a) ?? throw model.Error($"merges[{rank}]", $"uses '{a}', which is not in model.vocab");
            int bId = vocab.TokenToId(b) ?? throw model.Error($"merges[{rank}]", $"uses '{b}', which is not in model.vocab");
            var merged = prefix is not null && b.StartsWith(prefix, StringComparison.Ordinal) ? a + b[prefix.Length..] : a + b;
            int newId = vocab.TokenToId(merged) ?? throw model.Error($"merges[{rank}]", $"makes '{merged}', which is not in model.vocab");
            merges.TryAdd(PairKey(aId, bId), (rank, newId));
            rank++;
        }
        return merges;
    }

    private static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    // Ids of the "<0x00>".."<0xFF>" tokens, or null when the vocabulary lacks any of them.
    private static int[]? ByteTokenIds(Vocabulary vocab)
    {
        var ids = new int[256];
        for (int b = 0; b < 256; b++)
        {
            if (!vocab.TryGetId($"<0x{b:X2}>", out ids[b])) ids[b] = -1;
        }
        return ids;
    }

    public void Tokenize(string word, List<int> output)
    {
        if (word.Length == 0) return;
        if (_ignoreMerges && _vocab.TryGetId(word, out int whole))
        {
            // Llama-3 sets ignore_merges: a word that is itself a token is never split.
            output.Add(whole);
            return;
        }
        if (_cache.TryGetValue(word, out var cached))
        {
            output.AddRange(cached);
            return;
        }
        var ids = MergeWord(word);
        if (_cache.Count >= CacheCapacity) _cache.Clear();
        _cache.TryAdd(word, ids);
        output.AddRange(ids);
    }

    private int[] MergeWord(string word)
    {
        var symbols = InitialSymbols(word);
        if (symbols.Count > 1) MergeAll(symbols);
        var ids = new List<int>(symbols.Count);
        foreach (var s in symbols) if (!s.Removed) ids.Add(s.Id);
        return ids.ToArray();
    }

    private sealed class Symbol(int id)
    {
        public int Id = id;
        public int Prev = -1;
        public int Next = -1;
        public bool Removed;
    }

    // One symbol per character: its token (with continuing prefix / end-of-word suffix), else its
    // <0xNN> byte tokens, else the unknown token (consecutive unknowns fused when fuse_unk).
    private List<Symbol> InitialSymbols(string word)
    {
        var symbols = new List<Symbol>(word.Length);
        bool pendingUnk = false;
        int i = 0;
        while (i < word.Length)
        {
            int len = char.IsSurrogatePair(word, i) ? 2 : 1;
            bool isFirst = i == 0, isLast = i + len >= word.Length;
            string s = word.Substring(i, len);
            string lookup = s;
            if (!isFirst && _continuingSubwordPrefix is not null) lookup = _continuingSubwordPrefix + lookup;
            if (isLast && _endOfWordSuffix is not null) lookup += _endOfWordSuffix;
            i += len;

            if (_vocab.TryGetId(lookup, out int id))
            {
                FlushUnk(symbols, ref pendingUnk);
                symbols.Add(new Symbol(id));
                continue;
            }
            if (_byteTokenIds is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(lookup);
                if (bytes.All(b => _byteTokenIds[b] >= 0))
                {
                    // Hugging Face does not flush a pending unknown token here; it lands after these bytes.
                    foreach (var b in bytes) symbols.Add(new Symbol(_byteTokenIds[b]));
                    continue;
                }
            }
            if (_unkId is { } unkId)
            {
                if (pendingUnk && !_fuseUnk) symbols.Add(new Symbol(unkId));
                pendingUnk = true;
            }
        }
        FlushUnk(symbols, ref pendingUnk);
        for (int k = 0; k < symbols.Count; k++)
        {
            symbols[k].Prev = k - 1;
            symbols[k].Next = k + 1 < symbols.Count ? k + 1 : -1;
        }
        return symbols;
    }

    private void FlushUnk(List<Symbol> symbols, ref bool pendingUnk)
    {
        if (!pendingUnk) return;
        symbols.Add(new Symbol(_unkId!.Value));
        pendingUnk = false;
    }

    // Lowest rank first, leftmost on ties; stale queue entries are skipped when popped.
    private void MergeAll(List<Symbol> symbols)
    {
        var queue = new PriorityQueue<(int Pos, int NewId), long>();
        for (int k = 0; k + 1 < symbols.Count; k++) Enqueue(queue, symbols, k, k + 1);

        while (queue.TryDequeue(out var top, out _))
        {
            var left = symbols[top.Pos];
            if (left.Removed || left.Next < 0) continue;
            var right = symbols[left.Next];
            if (!_merges.TryGetValue(PairKey(left.Id, right.Id), out var m) || m.NewId != top.NewId) continue;

            left.Id = top.NewId;
            right.Removed = true;
            left.Next = right.Next;
            if (right.Next >= 0) symbols[right.Next].Prev = top.Pos;
            if (left.Prev >= 0) Enqueue(queue, symbols, left.Prev, top.Pos);
            if (left.Next >= 0) Enqueue(queue, symbols, top.Pos, left.Next);
        }
    }

    private void Enqueue(PriorityQueue<(int, int), long> queue, List<Symbol> symbols, int leftPos, int rightPos)
    {
        if (_merges.TryGetValue(PairKey(symbols[leftPos].Id, symbols[rightPos].Id), out var m))
        {
            queue.Enqueue((leftPos, m.NewId), ((long)m.Rank << 32) | (uint)leftPos);
        }
    }
}
