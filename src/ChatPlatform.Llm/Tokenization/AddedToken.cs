using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// An entry of tokenizer.json's "added_tokens": matched in the raw text before pre-tokenization.
/// <c>SingleWord</c>: only as a whole word; <c>LStrip</c>/<c>RStrip</c>: swallows the whitespace to its
/// left/right; <c>Normalized</c>: matched in the normalized text instead of the raw text.
/// </summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized)
{
    public static AddedToken Parse(JsonFields s)
    {
        bool special = s.Bool("special") ?? false;
        return new AddedToken(
            s.RequiredInt("id"), s.RequiredString("content"), special, s.Bool("single_word") ?? false,
            s.Bool("lstrip") ?? false, s.Bool("rstrip") ?? false,
            // Hugging Face's default: special tokens are matched raw, others after normalization.
            s.Bool("normalized") ?? !special);
    }
}
