namespace ChatPlatform.Training.Trainer;

/// <summary>
/// A training batch, row-major (B × T): token ids, labels (−100 = no loss) aligned with the ids (the loss shifts
/// them), and which positions are real tokens. Optional packing info: per-token position ids and sequence ids.
/// </summary>
public sealed record TokenBatch(long[] InputIds, long[] Labels, bool[] AttentionMask, int BatchSize, int SeqLen,
    long[]? PositionIds = null, int[]? SequenceIds = null)
{
    /// <summary>Tokens that carry loss after the shift (the label of position t is predicted at t − 1).</summary>
    public int LossTokens
    {
        get
        {
            var n = 0;
            for (var b = 0; b < BatchSize; b++)
                for (var t = 1; t < SeqLen; t++)
                    if (Labels[b * SeqLen + t] != -100) n++;
            return n;
        }
    }
}
