namespace ChatPlatform.Llm.Tokenization.Decoders;

/// <summary>
/// The "decoder" step: rewrites the list of token strings (Hugging Face's decode_chain); the results are
/// concatenated at the end. Decoders run in a chain, so each one sees what the previous produced.
/// </summary>
internal interface ITokenDecoder
{
    List<string> DecodeChain(List<string> tokens);
}

/// <summary>"Sequence": the decoders in turn.</summary>
internal sealed class SequenceDecoder(IReadOnlyList<ITokenDecoder> decoders) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens)
    {
        foreach (var d in decoders) tokens = d.DecodeChain(tokens);
        return tokens;
    }
}
