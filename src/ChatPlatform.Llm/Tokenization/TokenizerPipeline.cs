using ChatPlatform.Llm.Tokenization.Decoders;
using ChatPlatform.Llm.Tokenization.Models;
using ChatPlatform.Llm.Tokenization.Normalizers;
using ChatPlatform.Llm.Tokenization.PostProcessors;
using ChatPlatform.Llm.Tokenization.PreTokenizers;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>The steps of one tokenizer.json, in the order Hugging Face runs them.</summary>
internal sealed record TokenizerPipeline(
    IReadOnlyList<AddedToken> AddedTokens,
    INormalizer? Normalizer,
    IPreTokenizer? PreTokenizer,
    ITokenizerModel Model,
    TemplatePostProcessor PostProcessor,
    ITokenDecoder? Decoder);
