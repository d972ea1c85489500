namespace ChatPlatform.Rag.Chunking;

/// <summary>
/// Counts tokens the way the active model's tokenizer does, so chunk sizes and prompt budgets are in the model's
/// own units. Rag never references the model runtime; the composition root adapts the model's tokenizer to this.
/// Implementations must be thread-safe and count without special tokens (BOS/EOS).
/// </summary>
public interface ITokenCounter
{
    /// <summary>A short name recorded with the index, so changing the tokenizer re-chunks documents.</summary>
    string Name { get; }

    int CountTokens(string text);
}
