namespace ChatPlatform.Llm.Tokenization.Decoders;

/// <summary>"Fuse": joins all tokens into one (so a following Strip sees the whole text).</summary>
internal sealed class FuseDecoder : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}

/// <summary>"Replace": a literal or regex replaced in every token ("▁" back to " " for SentencePiece).</summary>
internal sealed class ReplaceDecoder(TextPattern pattern, string content) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens) => tokens.Select(t => pattern.ReplaceAll(t, content)).ToList();
}

/// <summary>
/// "Strip": removes up to <c>start</c> leading and <c>stop</c> trailing copies of one character from each
/// token; Llama-2/Mistral use it to drop the dummy-prefix space.
/// </summary>
internal sealed class StripDecoder(string content, int start, int stop) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens) => tokens.Select(Strip).ToList();

    private string Strip(string token)
    {
        int startCut = 0;
        for (int i = 0; i < start && token.AsSpan(startCut).StartsWith(content, StringComparison.Ordinal); i++) startCut += content.Length;
        int stopCut = token.Length;
        for (int i = 0; i < stop && stopCut - content.Length >= startCut
             && token.AsSpan(startCut, stopCut - startCut).EndsWith(content, StringComparison.Ordinal); i++)
        {
            stopCut -= content.Length;
        }
        return token[startCut..stopCut];
    }
}

/// <summary>
/// "Metaspace": "▁" back to a space, except that in the first token it is dropped (the prefix the
/// pre-tokenizer added), unless prepend_scheme is "never".
/// </summary>
internal sealed class MetaspaceDecoder(string replacement, bool dropInFirstToken) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            result.Add(tokens[i].Replace(replacement, i == 0 && dropInFirstToken ? "" : " ", StringComparison.Ordinal));
        }
        return result;
    }
}

/// <summary>
/// "WordPiece": tokens after the first are joined with a space unless they carry the "##" prefix; with
/// <c>cleanup</c> the usual detokenization fixes (" ." to ".", " n't" to "n't", ...) apply per token.
/// </summary>
internal sealed class WordPieceDecoder(string prefix, bool cleanup) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (i != 0) t = t.StartsWith(prefix, StringComparison.Ordinal) ? t[prefix.Length..] : " " + t;
            result.Add(cleanup ? Cleanup(t) : t);
        }
        return result;
    }

    public static string Cleanup(string s) => s
        .Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",")
        .Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" do not", " don't")
        .Replace(" 's", "'s").Replace(" 've", "'ve").Replace(" 're", "'re");
}

/// <summary>"BPEDecoder": the end-of-word suffix becomes a space, or nothing in the last token.</summary>
internal sealed class BpeSuffixDecoder(string suffix) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens) =>
        tokens.Select((t, i) => t.Replace(suffix, i == tokens.Count - 1 ? "" : " ", StringComparison.Ordinal)).ToList();
}
