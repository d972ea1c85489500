namespace ChatPlatform.Llm.Generation;

/// <summary>Prompts (token ids) to continue, how many tokens at most, how to sample, and which ids end a sequence.</summary>
public sealed record GenerationRequest(IReadOnlyList<int[]> Prompts, int MaxNewTokens, SamplingOptions Sampling,
    IReadOnlySet<int> StopTokenIds);

public enum FinishReason
{
    None,
    StopToken,
    Length,
    StopSequence,
    Cancelled,
}
