namespace ChatPlatform.Rag.Chunking;

/// <summary>How documents are cut into chunks; sizes are in tokens of the configured <see cref="ITokenCounter"/>.</summary>
public sealed record ChunkingOptions
{
    /// <summary>Largest chunk, in tokens (default 400: a few paragraphs; small enough that 5-8 fit a 4k prompt).</summary>
    public int MaxTokens { get; init; } = 400;

    /// <summary>
    /// Tokens repeated from the end of the previous chunk when a section is split, so a sentence that depends on
    /// the one before it is still retrievable. Whole units only (sentences, list items, rows, lines).
    /// </summary>
    public int OverlapTokens { get; init; } = 50;

    public void Validate()
    {
        if (MaxTokens < 16) throw new ArgumentException($"chunk size {MaxTokens} tokens is too small (at least 16)");
        if (OverlapTokens < 0 || OverlapTokens >= MaxTokens / 2)
            throw new ArgumentException($"chunk overlap {OverlapTokens} must be between 0 and half the chunk size ({MaxTokens / 2})");
    }

    /// <summary>Recorded in each document's content hash: changing the settings re-chunks unchanged files.</summary>
    public string Signature(ITokenCounter counter) => $"chunk:{MaxTokens}/{OverlapTokens}/{counter.Name}";
}
