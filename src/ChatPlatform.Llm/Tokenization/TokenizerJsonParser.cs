using System.Text.Json;
using ChatPlatform.Llm.IO;
using ChatPlatform.Llm.Tokenization.Decoders;
using ChatPlatform.Llm.Tokenization.Models;
using ChatPlatform.Llm.Tokenization.Normalizers;
using ChatPlatform.Llm.Tokenization.PostProcessors;
using ChatPlatform.Llm.Tokenization.PreTokenizers;
using UnicodeForm = ChatPlatform.Llm.Tokenization.Unicode.UnicodeNormalForm;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer.json into a <see cref="TokenizerPipeline"/>. Anything it cannot run
/// exactly as Hugging Face does is refused with an <see cref="InvalidDataException"/> naming the field,
/// rather than tokenized differently.
/// </summary>
internal static class TokenizerJsonParser
{
    // Sequences of Sequences nest deeper than System.Text.Json's default limit of 64.
    private const int MaxDepth = 256;

    public static TokenizerPipeline Parse(string json, string fileName) => JsonFields.Parse(json, fileName, root =>
    {
        var added = root.Has("added_tokens") ? root.Objects("added_tokens").Select(AddedToken.Parse).ToList() : [];
        return new TokenizerPipeline(
            added,
            ParseNormalizer(root.Object("normalizer")),
            ParsePreTokenizer(root.Object("pre_tokenizer")),
            ParseModel(root.RequiredObject("model")),
            PostProcessorParser.Parse(root.Object("post_processor")),
            ParseDecoder(root.Object("decoder")));
    }, MaxDepth);

    // ---- model ----------------------------------------------------------------------------------

    private static ITokenizerModel ParseModel(JsonFields model)
    {
        var type = model.String("type") ?? InferModelType(model);
        return type switch
        {
            "BPE" => BpeModel.Parse(model),
            "WordPiece" => WordPieceModel.Parse(model),
            "WordLevel" => WordLevelModel.Parse(model),
            _ => throw model.Unsupported("type", type),
        };
    }

    // GPT-2 and BERT files from before "type" existed: merges mean BPE; a "##" prefix or "##" pieces
    // mean WordPiece; a list vocabulary is Unigram's; a plain map is WordLevel.
    private static string InferModelType(JsonFields model)
    {
        if (model.Has("merges")) return "BPE";
        if (model.Has("continuing_subword_prefix") || model.Has("max_input_chars_per_word")) return "WordPiece";
        if (model.TryGet("vocab", out var vocab))
        {
            if (vocab.ValueKind == JsonValueKind.Array) return "Unigram";
            if (vocab.ValueKind == JsonValueKind.Object && vocab.EnumerateObject().Any(p => p.Name.StartsWith("##", StringComparison.Ordinal))) return "WordPiece";
            return "WordLevel";
        }
        throw model.Error("type", "is missing and cannot be inferred (no vocab)");
    }

    // ---- normalizer -----------------------------------------------------------------------------

    private static INormalizer? ParseNormalizer(JsonFields? section)
    {
        if (section is not { } s) return null;
        var type = s.RequiredType();
        return type switch
        {
            "Sequence" => new SequenceNormalizer(s.Objects("normalizers").Select(n => ParseNormalizer(n)).OfType<INormalizer>().ToList()),
            "Prepend" => new PrependNormalizer(s.RequiredString("prepend")),
            "Replace" => new ReplaceNormalizer(TextPattern.Parse(s, "pattern"), s.RequiredString("content")),
            "NFC" => new UnicodeFormNormalizer(UnicodeForm.Nfc),
            "NFD" => new UnicodeFormNormalizer(UnicodeForm.Nfd),
            "NFKC" => new UnicodeFormNormalizer(UnicodeForm.Nfkc),
            "NFKD" => new UnicodeFormNormalizer(UnicodeForm.Nfkd),
            "Lowercase" => new LowercaseNormalizer(),
            "Strip" => new StripNormalizer(s.Bool("strip_left") ?? true, s.Bool("strip_right") ?? true),
            "StripAccents" => new StripAccentsNormalizer(),
            "BertNormalizer" => new BertNormalizer(s.Bool("clean_text") ?? true, s.Bool("handle_chinese_chars") ?? true,
                s.Bool("strip_accents"), s.Bool("lowercase") ?? true),
            _ => throw s.Unsupported("type", type),
        };
    }

    // ---- pre-tokenizer --------------------------------------------------------------------------

    private static IPreTokenizer? ParsePreTokenizer(JsonFields? section)
    {
        if (section is not { } s) return null;
        var type = s.RequiredType();
        return type switch
        {
            "Sequence" => new SequencePreTokenizer(s.Objects("pretokenizers").Select(p => ParsePreTokenizer(p)).OfType<IPreTokenizer>().ToList()),
            "Split" => new SplitPreTokenizer(TextPattern.Parse(s, "pattern"), PieceSplitter.ParseBehavior(s, "behavior"), s.Bool("invert") ?? false),
            "ByteLevel" => new ByteLevelPreTokenizer(s.Bool("add_prefix_space") ?? true, s.Bool("use_regex") ?? true),
            "Metaspace" => new MetaspacePreTokenizer(s.Char("replacement", "▁"), MetaspacePreTokenizer.ParseScheme(s), s.Bool("split") ?? true),
            "BertPreTokenizer" => new BertPreTokenizer(),
            "Whitespace" => new WhitespacePreTokenizer(),
            "WhitespaceSplit" => new CharSplitPreTokenizer(CharClasses.IsWhitespace, SplitDelimiterBehavior.Removed),
            "Punctuation" => new CharSplitPreTokenizer(CharClasses.IsBertPunctuation,
                s.Has("behavior") ? PieceSplitter.ParseBehavior(s, "behavior") : SplitDelimiterBehavior.Isolated),
            "Digits" => new CharSplitPreTokenizer(CharClasses.IsNumeric,
                (s.Bool("individual_digits") ?? false) ? SplitDelimiterBehavior.Isolated : SplitDelimiterBehavior.Contiguous),
            "CharDelimiterSplit" => new CharSplitPreTokenizer(DelimiterPredicate(s), SplitDelimiterBehavior.Removed),
            _ => throw s.Unsupported("type", type),
        };
    }

    private static Func<int, bool> DelimiterPredicate(JsonFields s)
    {
        int delimiter = char.ConvertToUtf32(s.Char("delimiter", " "), 0);
        return cp => cp == delimiter;
    }

    // ---- decoder --------------------------------------------------------------------------------

    private static ITokenDecoder? ParseDecoder(JsonFields? section)
    {
        if (section is not { } s) return null;
        var type = s.RequiredType();
        return type switch
        {
            "Sequence" => new SequenceDecoder(s.Objects("decoders").Select(d => ParseDecoder(d)).OfType<ITokenDecoder>().ToList()),
            "ByteLevel" => new ByteLevelDecoder(),
            "ByteFallback" => new ByteFallbackDecoder(),
            "Fuse" => new FuseDecoder(),
            "Replace" => new ReplaceDecoder(TextPattern.Parse(s, "pattern"), s.RequiredString("content")),
            "Strip" => new StripDecoder(s.Char("content", " "), s.Int("start") ?? 0, s.Int("stop") ?? 0),
            "Metaspace" => new MetaspaceDecoder(s.Char("replacement", "▁"), MetaspacePreTokenizer.ParseScheme(s) != PrependScheme.Never),
            "WordPiece" => new WordPieceDecoder(s.String("prefix") ?? "##", s.Bool("cleanup") ?? true),
            "BPEDecoder" => new BpeSuffixDecoder(s.String("suffix") ?? "</w>"),
            _ => throw s.Unsupported("type", type),
        };
    }
}
