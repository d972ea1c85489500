namespace ChatPlatform.Rag.Prompting;

/// <summary>How a grounded prompt shares the model's context window; all sizes are in tokens of the prompt's <see cref="Chunking.ITokenCounter"/>.</summary>
public sealed record PromptBudget
{
    /// <summary>The model's context length (max_position_embeddings).</summary>
    public required int ContextWindow { get; init; }

    /// <summary>Tokens kept free for the answer.</summary>
    public int AnswerReserve { get; init; } = 512;

    /// <summary>Tokens a chat template adds around each message (role markers, separators); 8 covers ChatML and Llama 3.</summary>
    public int PerMessageOverhead { get; init; } = 8;

    /// <summary>When there is history, sources get at most this share of what the system prompt and question leave.</summary>
    public double MaxSourceShare { get; init; } = 0.6;

    /// <summary>A source is trimmed to fit only when at least this much of it fits; otherwise it is dropped.</summary>
    public int MinTrimmedSourceTokens { get; init; } = 48;

    public void Validate()
    {
        if (ContextWindow <= 0) throw new ArgumentException($"context window must be positive, not {ContextWindow}");
        if (AnswerReserve < 0 || AnswerReserve >= ContextWindow)
            throw new ArgumentException($"answer reserve {AnswerReserve} must be between 0 and the context window ({ContextWindow})");
        if (MaxSourceShare is <= 0 or > 1) throw new ArgumentException($"source share {MaxSourceShare} must be within (0, 1]");
    }
}
