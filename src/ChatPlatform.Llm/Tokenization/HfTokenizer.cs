using ChatPlatform.Llm.Tokenization.PostProcessors;
using ChatPlatform.Llm.Tokenization.PreTokenizers;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// A Hugging Face tokenizer read from tokenizer.json, in pure C#: byte-level BPE (GPT-2, Llama-3, Qwen),
/// SentencePiece-style BPE with byte fallback (Llama-2, Mistral) and WordPiece (BERT). Encode and Decode
/// give the ids and text Hugging Face's tokenizers library gives for the same file. Thread-safe.
/// </summary>
/// <remarks>
/// Encoding runs Hugging Face's steps in order: added tokens are cut out of the raw text (longest first),
/// each remaining piece is normalized (where normalized added tokens are cut out in turn), pre-tokenized
/// into words, and each word is tokenized by the model; the post-processor then adds special tokens.
/// </remarks>
public sealed class HfTokenizer
{
    private const string Metaspace = "▁";

    private readonly TokenizerPipeline _pipeline;
    private readonly Dictionary<string, AddedToken> _addedByContent = new(StringComparer.Ordinal);
    private readonly HashSet<int> _specialIds = [];
    private readonly HashSet<string> _specialContents = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _addedTokenStrings = new();
    private readonly AddedTokenMatcher _rawMatcher;
    private readonly AddedTokenMatcher _normalizedMatcher;
    private readonly TemplatePostProcessor _postProcessor;

    // transformers' LlamaTokenizer with legacy=false: one "▁" for the whole text, none after special tokens.
    private readonly bool _nonLegacyPrefix;
    private readonly int? _metaspaceId;

    private HfTokenizer(TokenizerPipeline pipeline, TokenizerConfig? config)
    {
        _nonLegacyPrefix = config is { Legacy: false, IsLlamaTokenizer: true };
        if (_nonLegacyPrefix)
        {
            // As transformers does: drop the normalizer (its Prepend is replaced by the explicit prefix in
            // Encode) and let Metaspace turn spaces into "▁" without prepending after special tokens.
            pipeline = pipeline with { Normalizer = null, PreTokenizer = new MetaspacePreTokenizer(Metaspace, PrependScheme.First, split: false) };
        }
        _pipeline = pipeline;

        foreach (var t in pipeline.AddedTokens)
        {
            _addedByContent[t.Content] = t;
            // Hugging Face keeps a normalized added token in its normalized form ("big cat" becomes
            // "▁big▁cat" under SentencePiece normalizers); that is the string its decoder sees.
            _addedTokenStrings[t.Id] = t.Normalized && pipeline.Normalizer is { } n ? n.Normalize(t.Content) : t.Content;
            _addedByContent.TryAdd(_addedTokenStrings[t.Id], t);
            if (t.Special)
            {
                _specialIds.Add(t.Id);
                _specialContents.Add(t.Content);
            }
        }
        _rawMatcher = new AddedTokenMatcher(pipeline.AddedTokens.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        // Normalized added tokens are looked for in normalized text, so their content is normalized too.
        _normalizedMatcher = new AddedTokenMatcher(pipeline.AddedTokens.Where(t => t.Normalized)
            .Select(t => (pipeline.Normalizer?.Normalize(t.Content) ?? t.Content, t)));
        _metaspaceId = TokenToId(Metaspace);

        VocabSize = Math.Max(pipeline.Model.IdLimit, pipeline.AddedTokens.Count == 0 ? 0 : pipeline.AddedTokens.Max(t => t.Id) + 1);

        if (config is not null)
        {
            BosToken = config.BosToken;
            EosToken = config.EosToken;
        }
        else if (pipeline.PostProcessor.Before.Count == 1)
        {
            // Without tokenizer_config.json, the one special token the template puts first is the BOS.
            BosToken = IdToToken(pipeline.PostProcessor.Before[0]);
        }
        BosTokenId = BosToken is null ? null : TokenToId(BosToken);
        EosTokenId = EosToken is null ? null : TokenToId(EosToken);
        _postProcessor = ApplyAddBosEos(pipeline.PostProcessor, config);
    }

    /// <summary>
    /// Reads a tokenizer.json file alone: the BOS is then the one special token the post-processor puts
    /// first (if any), and the EOS is unknown.
    /// </summary>
    public static HfTokenizer FromFile(string tokenizerJsonPath)
    {
        var json = File.ReadAllText(tokenizerJsonPath);
        return new HfTokenizer(TokenizerJsonParser.Parse(json, Path.GetFileName(tokenizerJsonPath)), config: null);
    }

    /// <summary>
    /// Reads <c>tokenizer.json</c> from a model folder, and <c>tokenizer_config.json</c> when present
    /// (bos/eos tokens, add_bos_token/add_eos_token, legacy); without it, as <see cref="FromFile"/>.
    /// </summary>
    public static HfTokenizer FromDirectory(string modelDir)
    {
        var tokenizerPath = Path.Combine(modelDir, "tokenizer.json");
        if (!File.Exists(tokenizerPath)) throw new FileNotFoundException($"{modelDir} has no tokenizer.json", tokenizerPath);
        var pipeline = TokenizerJsonParser.Parse(File.ReadAllText(tokenizerPath), "tokenizer.json");
        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        var config = File.Exists(configPath) ? TokenizerConfig.Parse(File.ReadAllText(configPath), "tokenizer_config.json") : null;
        return new HfTokenizer(pipeline, config);
    }

    /// <summary>One more than the largest token id, added tokens included (the embedding rows the ids need).</summary>
    public int VocabSize { get; }

    public string? BosToken { get; }
    public string? EosToken { get; }
    public int? BosTokenId { get; }
    public int? EosTokenId { get; }

    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var added) ? added.Id : _pipeline.Model.TokenToId(token);

    public string? IdToToken(int id) =>
        _addedTokenStrings.TryGetValue(id, out var added) ? added : _pipeline.Model.IdToToken(id);

    /// <summary>True for added tokens marked special (BOS, EOS, chat markers); Decode can skip them.</summary>
    public bool IsSpecial(int id) => _specialIds.Contains(id);

    /// <summary>Token ids of <paramref name="text"/>; with <paramref name="addSpecialTokens"/> the post-processor's (BOS and the like).</summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_nonLegacyPrefix && text.Length > 0) text = Metaspace + text.Replace(Metaspace, " ", StringComparison.Ordinal);

        var ids = new List<int>(text.Length / 3 + 4);
        var words = new List<PreToken>();
        foreach (var (token, piece) in SplitOnAddedTokens(text))
        {
            if (token is not null)
            {
                ids.Add(token.Id);
                continue;
            }
            words.Clear();
            if (_pipeline.PreTokenizer is { } pre) pre.PreTokenize(piece, words);
            else words.Add(piece);
            foreach (var word in words) _pipeline.Model.Tokenize(word.Text, ids);
        }

        // transformers' non-legacy Llama drops the prefix token when the text starts with a special token.
        if (_nonLegacyPrefix && ids.Count > 1 && ids[0] == _metaspaceId && IsSpecial(ids[1])) ids.RemoveAt(0);
        return addSpecialTokens ? _postProcessor.Apply(ids) : ids.ToArray();
    }

    /// <summary>
    /// Token ids with the post-processor's special tokens, the text's own tokens cut at the end so the whole is at most
    /// <paramref name="maxLength"/> long (transformers' <c>truncation=True, max_length=N</c> for one sequence: [CLS] and
    /// [SEP] are kept).
    /// </summary>
    public int[] Encode(string text, int maxLength)
    {
        var specials = _postProcessor.Before.Count + _postProcessor.After.Count;
        if (maxLength <= specials)
            throw new ArgumentOutOfRangeException(nameof(maxLength), $"max length {maxLength} leaves no room beside {specials} special tokens");
        var ids = Encode(text, addSpecialTokens: false);
        var keep = Math.Min(ids.Length, maxLength - specials);
        return _postProcessor.Apply([.. ids.AsSpan(0, keep)]);
    }

    /// <summary>Number of tokens of <paramref name="text"/> alone, without special tokens (for context budgets).</summary>
    public int CountTokens(string text) => Encode(text, addSpecialTokens: false).Length;

    /// <summary>
    /// The text of <paramref name="ids"/> through tokenizer.json's decoder. Unknown ids are skipped, as in
    /// Hugging Face; invalid UTF-8 from byte tokens becomes U+FFFD.
    /// </summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (IdToToken(id) is not { } token) continue;
            if (skipSpecialTokens && _specialContents.Contains(token)) continue;
            tokens.Add(token);
        }
        if (_pipeline.Decoder is null) return string.Join(' ', tokens);
        return string.Concat(_pipeline.Decoder.DecodeChain(tokens));
    }

    /// <summary>
    /// Whether Decode with skipSpecialTokens drops <paramref name="id"/>: Hugging Face compares the token
    /// string with the special tokens' contents (so a special token stored normalized is kept).
    /// </summary>
    internal bool IsSkippedAsSpecial(int id) => IdToToken(id) is { } token && _specialContents.Contains(token);

    /// <summary>A decoder for generated ids that returns text as soon as it is complete.</summary>
    public StreamingDecoder CreateStreamingDecoder(bool skipSpecialTokens = true) => new(this, skipSpecialTokens);

    // The raw text cut on non-normalized added tokens; each other piece normalized and cut again on
    // normalized added tokens (Hugging Face's AddedVocabulary::extract_and_normalize).
    private IEnumerable<(AddedToken? Token, PreToken Piece)> SplitOnAddedTokens(string text)
    {
        foreach (var (token, start, end) in _rawMatcher.Split(text))
        {
            if (token is not null)
            {
                yield return (token, default);
                continue;
            }
            var segment = text[start..end];
            var normalized = _pipeline.Normalizer?.Normalize(segment) ?? segment;
            foreach (var (inner, s, e) in _normalizedMatcher.Split(normalized))
            {
                if (inner is not null) yield return (inner, default);
                else yield return (null, new PreToken(normalized[s..e], AtTextStart: start == 0 && s == 0));
            }
        }
    }

    // transformers' Llama tokenizers rebuild the template from add_bos_token/add_eos_token. Only done when
    // the file's template adds nothing but BOS/EOS, so BERT-style templates are never rewritten.
    private TemplatePostProcessor ApplyAddBosEos(TemplatePostProcessor fromFile, TokenizerConfig? config)
    {
        if (config is null || (config.AddBosToken is null && config.AddEosToken is null)) return fromFile;
        bool onlyBosEos = fromFile.Before.Concat(fromFile.After).All(id => id == BosTokenId || id == EosTokenId);
        if (!onlyBosEos) return fromFile;
        bool addBos = config.AddBosToken ?? fromFile.Before.Contains(BosTokenId ?? -1);
        bool addEos = config.AddEosToken ?? fromFile.After.Contains(EosTokenId ?? -1);
        return new TemplatePostProcessor(
            addBos && BosTokenId is { } bos ? [bos] : [],
            addEos && EosTokenId is { } eos ? [eos] : []);
    }
}
