using System.Text;

namespace ChatPlatform.Llm.Tokenization.Decoders;

/// <summary>
/// "ByteLevel": maps every token back to its bytes (GPT-2 alphabet) and decodes them as UTF-8, invalid
/// or incomplete sequences becoming U+FFFD (Rust's from_utf8_lossy and .NET both replace each maximal
/// invalid subsequence with one U+FFFD).
/// </summary>
internal sealed class ByteLevelDecoder : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var t in tokens) ByteLevelAlphabet.AppendBytes(t, bytes);
        return [Encoding.UTF8.GetString(bytes.ToArray())];
    }
}

/// <summary>
/// "ByteFallback": runs of "&lt;0xNN&gt;" tokens become the text their bytes spell; a run that is not valid
/// UTF-8 becomes one U+FFFD per byte, as in Hugging Face.
/// </summary>
internal sealed class ByteFallbackDecoder : ITokenDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByteToken(token, out byte b))
            {
                pending.Add(b);
                continue;
            }
            Flush(pending, result);
            result.Add(token);
        }
        Flush(pending, result);
        return result;
    }

    public static bool TryParseByteToken(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }

    private static void Flush(List<byte> pending, List<string> result)
    {
        if (pending.Count == 0) return;
        try
        {
            result.Add(StrictUtf8.GetString(pending.ToArray()));
        }
        catch (DecoderFallbackException)
        {
            for (int i = 0; i < pending.Count; i++) result.Add("\uFFFD");
        }
        pending.Clear();
    }
}
