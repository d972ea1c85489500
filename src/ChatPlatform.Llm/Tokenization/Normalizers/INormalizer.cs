namespace ChatPlatform.Llm.Tokenization.Normalizers;

/// <summary>
/// The "normalizer" step of tokenizer.json: rewrites one piece of input text (the text between two added
/// tokens) before pre-tokenization. Hugging Face also tracks offsets here; ids do not need them.
/// </summary>
internal interface INormalizer
{
    string Normalize(string text);
}

/// <summary>"Sequence": each normalizer in turn.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    public IReadOnlyList<INormalizer> Normalizers { get; } = normalizers;

    public string Normalize(string text)
    {
        foreach (var n in Normalizers) text = n.Normalize(text);
        return text;
    }
}
