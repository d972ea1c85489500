using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;

namespace ChatPlatform.Training.Trainer;

/// <summary>Next-token cross-entropy of a batch: logits at position t predict the label at t + 1; −100 labels add nothing.</summary>
public static class CausalLmLoss
{
    /// <summary>The summed loss over the batch's loss tokens (divide by the token count of the whole accumulation window).</summary>
    public static Tensor Sum(LlamaForCausalLM model, TokenBatch batch)
    {
        var device = model.Device;
        var (B, T) = ((long)batch.BatchSize, (long)batch.SeqLen);
        var ids = torch.tensor(batch.InputIds, [B, T], device);
        var labels = torch.tensor(batch.Labels, [B, T], device);
        Tensor positions;
        Tensor? mask = null;
        Tensor? keyPadding = null;
        if (batch.PositionIds is { } pos && batch.SequenceIds is { } seq)
        {
            positions = torch.tensor(pos, [B, T], device);
            // Packed rows: a token attends to earlier tokens of its own example only (block-diagonal and causal).
            var sequences = torch.tensor(seq, [B, T], device);
            var same = sequences.unsqueeze(2).eq(sequences.unsqueeze(1));                       // (B, T, T)
            var causal = torch.ones([T, T], ScalarType.Bool, device).tril();
            mask = same.logical_and(causal.unsqueeze(0)).unsqueeze(1);                          // (B, 1, T, T)
        }
        else
        {
            positions = torch.arange(T, device: device).unsqueeze(0).expand(B, T);
            if (batch.AttentionMask.Any(m => !m)) keyPadding = torch.tensor(batch.AttentionMask, [B, T], device);
        }
        var logits = model.forward(ids, positions, keyPadding: keyPadding, attentionMask: mask);  // (B, T, V) float32
        var V = logits.size(-1);
        var predicted = logits.narrow(1, 0, T - 1).reshape(-1, V);
        var targets = labels.narrow(1, 1, T - 1).reshape(-1);
        return torch.nn.functional.cross_entropy(predicted, targets, ignoreIndex: -100, reduction: torch.nn.Reduction.Sum);
    }
}
