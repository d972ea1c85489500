namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// Turns generated ids into text one id at a time. <see cref="Push"/> returns only text that is final:
/// a character whose UTF-8 bytes are split across byte-fallback or byte-level tokens is held back until
/// complete. The concatenation of all Push results and <see cref="Flush"/> equals
/// <c>Decode(allIds, skipSpecialTokens)</c>. Not thread-safe (one per generation).
/// </summary>
/// <remarks>
/// Each step decodes a short window of recent ids and emits what the window's text gained; like Hugging
/// Face's DecodeStream, the window starts at an already-emitted token, so decoder rules that depend on a
/// token's position (SentencePiece's leading-space Strip, WordPiece's joining space, Metaspace's first
/// token) apply to it exactly as in a full decode. Trailing U+FFFD is held back: it is what an incomplete
/// UTF-8 sequence decodes to, and the only part of the text that later tokens can still change.
/// </remarks>
public sealed class StreamingDecoder
{
    private const char Replacement = '\uFFFD';

    private readonly HfTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly List<int> _window = [];
    private int _emittedInWindow; // characters of Decode(_window) already returned

    internal StreamingDecoder(HfTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds one id; returns the newly completed text (often empty).</summary>
    public string Push(int id)
    {
        if (_skipSpecialTokens && _tokenizer.IsSkippedAsSpecial(id)) return "";
        _window.Add(id);
        var text = _tokenizer.Decode(_window, _skipSpecialTokens);
        int stable = text.Length;
        while (stable > _emittedInWindow && text[stable - 1] == Replacement) stable--;
        if (stable <= _emittedInWindow) return "";

        var delta = text[_emittedInWindow..stable];
        _emittedInWindow = stable;
        if (stable == text.Length) Slide(text);
        return delta;
    }

    /// <summary>Returns whatever is still held back (an incomplete character becomes U+FFFD) and resets.</summary>
    public string Flush()
    {
        var text = _tokenizer.Decode(_window, _skipSpecialTokens);
        var rest = text.Length > _emittedInWindow ? text[_emittedInWindow..] : "";
        _window.Clear();
        _emittedInWindow = 0;
        return rest;
    }

    // When everything so far is emitted, restart the window at the last token if that token alone decodes
    // to non-empty text that ends the window's text: its bytes are then complete, and the only rules that
    // treat a window's first token differently (a leading strip, no joining space, no "▁") touch that
    // token's own text, which is already emitted. Otherwise the window keeps growing.
    private void Slide(string text)
    {
        if (_window.Count < 2) return;
        var last = _window[^1];
        var alone = _tokenizer.Decode([last], _skipSpecialTokens);
        if (alone.Length == 0 || alone[^1] == Replacement || !text.EndsWith(alone, StringComparison.Ordinal)) return;
        _window.Clear();
        _window.Add(last);
        _emittedInWindow = alone.Length;
    }
}
