using System.Text;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character map: printable Latin-1 bytes map to themselves, the other 68
/// bytes to U+0100 and up (so a space is "Ġ", a newline "Ċ"). Byte-level BPE vocabularies are written in
/// these characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is (>= '!' and <= '~') or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + next++);
        }
        return map;
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, each as its stand-in character.</summary>
    public static string Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>
    /// Appends the bytes a token stands for. A token with any character outside the alphabet (an added
    /// token such as "&lt;|eot_id|&gt;" written in plain text) contributes its own UTF-8 bytes, as in Hugging Face.
    /// </summary>
    public static void AppendBytes(string token, List<byte> output)
    {
        foreach (var c in token)
        {
            if (!CharToByte.ContainsKey(c))
            {
                output.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
        }
        foreach (var c in token) output.Add(CharToByte[c]);
    }
}
