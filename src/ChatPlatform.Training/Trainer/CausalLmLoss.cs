using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;

namespace ChatPlatform.Training.Trainer;

/// <summary>Next-token cross-entropy of a batch: logits at position t predict the label at t + 1; −100 labels add nothing.</summary>
public static class CausalLmLoss
{
    /// <summary>A batch on the device; <see cref="Packed"/> masks are block-diagonal, others come from the key padding.</summary>
    private sealed record Inputs(Tensor Ids, Tensor Labels, Tensor Positions, Tensor? Packed, Tensor? KeyPadding, long B, long T)
    {
        public Tensor? Mask => Packed ?? LlamaModel.AttentionMask(T, 0, KeyPadding, Ids.device);
    }

    private static Inputs Prepare(LlamaForCausalLM model, SftBatch batch)
    {
        var device = model.Device;
        var (B, T) = ((long)batch.BatchSize, (long)batch.SeqLen);
        var ids = torch.tensor(batch.InputIds, [B, T], device);
        var labels = torch.tensor(batch.Labels, [B, T], device);
        if (batch.PositionIds is { } pos && batch.SequenceIds is { } seq)
        {
            // Packed rows: a token attends to earlier tokens of its own example only (block-diagonal and causal).
            var sequences = torch.tensor(seq, [B, T], device);
            var same = sequences.unsqueeze(2).eq(sequences.unsqueeze(1));                       // (B, T, T)
            var causal = torch.ones([T, T], ScalarType.Bool, device).tril();
            return new Inputs(ids, labels, torch.tensor(pos, [B, T], device), same.logical_and(causal.unsqueeze(0)).unsqueeze(1), null, B, T);
        }
        var positions = torch.arange(T, device: device).unsqueeze(0).expand(B, T);
        var keyPadding = batch.AttentionMask.Any(m => !m) ? torch.tensor(batch.AttentionMask, [B, T], device) : null;
        return new Inputs(ids, labels, positions, null, keyPadding, B, T);
    }

    /// <summary>The summed loss over the batch's loss tokens (divide by the token count of the whole accumulation window).</summary>
    /// <remarks>With <paramref name="autocast"/>, the forward pass and the loss run under autocast in that dtype;
    /// call backward outside it (as torch.autocast asks).</remarks>
    public static Tensor Sum(LlamaForCausalLM model, SftBatch batch, ScalarType? autocast = null)
    {
        var x = Prepare(model, batch);
        using var _ = Autocast(model, autocast);
        var logits = model.forward(x.Ids, x.Positions, keyPadding: x.KeyPadding, attentionMask: x.Packed);   // (B, T, V)
        return ChunkLoss(logits.narrow(1, 0, x.T - 1), x.Labels.narrow(1, 1, x.T - 1));
    }

    /// <summary>An autocast region on the model's device, or null (a no-op in a using) without a dtype.</summary>
    private static IDisposable? Autocast(LlamaForCausalLM model, ScalarType? dtype) =>
        dtype is { } t ? torch.autocast(model.Device, t) : null;

    /// <summary>
    /// Forward and backward of scale × (summed loss) with activation checkpointing: the forward pass keeps only each
    /// decoder layer's input; the backward pass recomputes one layer at a time (with the RNG state it had, so dropout
    /// masks match) and the vocabulary projection runs over chunks of tokens. Memory holds one layer's activations and
    /// one chunk's logits instead of all of them. Gradients equal the plain pass's. Returns the summed loss.
    /// </summary>
    public static double CheckpointedBackward(LlamaForCausalLM model, SftBatch batch, double scale, int chunkTokens = 2048,
        ScalarType? autocast = null)
    {
        var inner = model.Model;
        if (inner.PromptTokens > 0)
        {
            // Prompt tuning prepends virtual tokens inside the model's forward; it trains a few vectors with small
            // activations, so it takes the plain pass.
            var plain = Sum(model, batch, autocast);
            (plain * scale).backward();
            return plain.ToDouble();
        }
        var x = Prepare(model, batch);
        var (cos, sin) = inner.Rotary(x.Positions);
        var mask = x.Mask;
        var layerInputs = new Tensor[inner.LayerCount];
        var rngStates = new Tensor[inner.LayerCount];
        Tensor hidden;
        using (torch.no_grad())
        using (Autocast(model, autocast))
        {
            hidden = inner.EmbedTokens.forward(x.Ids);
            for (var i = 0; i < inner.LayerCount; i++)
            {
                layerInputs[i] = hidden;
                rngStates[i] = torch.get_rng_state();
                using var scope = torch.NewDisposeScope();
                hidden = scope.MoveToOuter(inner.Layer(i).forward(hidden, cos, sin, mask, null, 0));
            }
        }
        var afterForward = torch.get_rng_state();

        // Loss head in chunks of positions: norm and projection are per token, so chunks are exact.
        var top = hidden.detach().requires_grad_();
        var positions = x.T - 1;
        var chunk = Math.Max(1, chunkTokens / x.B);
        double lossSum = 0;
        for (long start = 0; start < positions; start += chunk)
        {
            using var scope = torch.NewDisposeScope();
            var length = Math.Min(chunk, positions - start);
            Tensor loss;
            using (Autocast(model, autocast))
                loss = ChunkLoss(model.Head(inner.Norm.forward(top.narrow(1, start, length))), x.Labels.narrow(1, start + 1, length));
            lossSum += loss.ToDouble();
            (loss * scale).backward();
        }

        // Back through the layers, last first, recomputing each from its saved input.
        var gradient = top.grad!;
        for (var i = inner.LayerCount - 1; i >= 0; i--)
        {
            // Each recomputed layer's activations are freed before the next: only the input gradient moves on.
            using var scope = torch.NewDisposeScope();
            var input = layerInputs[i].detach().requires_grad_();
            torch.set_rng_state(rngStates[i]);
            Tensor output;
            using (Autocast(model, autocast))
                output = inner.Layer(i).forward(input, cos, sin, mask, null, 0);
            output.backward(gradient);
            gradient = scope.MoveToOuter(input.grad!);
            layerInputs[i].Dispose();
        }
        if (inner.EmbedTokens.weight.requires_grad) inner.EmbedTokens.forward(x.Ids).backward(gradient);
        torch.set_rng_state(afterForward);
        return lossSum;
    }

    /// <summary>Token-weighted mean loss over batches, without gradients and in eval mode (perplexity = e^loss).</summary>
    public static double Mean(LlamaForCausalLM model, IEnumerable<SftBatch> batches, ScalarType? autocast = null)
    {
        var wasTraining = model.training;
        model.eval();
        double sum = 0;
        long count = 0;
        using (torch.no_grad())
            foreach (var batch in batches)
            {
                using var scope = torch.NewDisposeScope();
                sum += Sum(model, batch, autocast).ToDouble();
                count += LossTokens(batch);
            }
        model.train(wasTraining);
        return count > 0 ? sum / count : double.NaN;
    }

    /// <summary>Tokens that carry loss after the shift (the label at position t is predicted at t − 1).</summary>
    public static int LossTokens(SftBatch batch)
    {
        var n = 0;
        for (var b = 0; b < batch.BatchSize; b++)
            for (var t = 1; t < batch.SeqLen; t++)
                if (batch.Labels[b * batch.SeqLen + t] != SftTokenizer.IgnoreIndex) n++;
        return n;
    }

    private static Tensor ChunkLoss(Tensor logits, Tensor labels)
    {
        var V = logits.size(-1);
        return torch.nn.functional.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), ignoreIndex: -100,
            reduction: torch.nn.Reduction.Sum);
    }
}
