using ChatPlatform.Llm.Models;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// One batched generation: prefill on the first <see cref="Step"/>, then one token per sequence per step against a
/// preallocated KV cache. Prompts of different lengths are left-padded; padding is masked out and every sequence
/// keeps its own positions, so a batch gives the same tokens as running each prompt alone.
/// Runs on one thread (scopes and inference mode are per thread); each step frees its temporaries.
/// </summary>
public sealed class GenerationSession : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly GenerationRequest request;
    private readonly KvCache cache;
    private readonly Tensor? keyPadding;   // (B, total) true for real tokens; null when no prompt is padded
    private readonly SamplingRandom? random;
    private readonly int batch;
    private readonly int promptWidth;      // L: the longest prompt
    private readonly int[] padding;
    private readonly List<int>[] sequences;  // prompt + generated ids, for the repetition penalty
    private readonly List<int>[] generated;
    private readonly int[] lastTokens;
    private int steps;

    public GenerationSession(LlamaForCausalLM model, GenerationRequest request)
    {
        request.Sampling.Validate();
        if (request.Prompts.Count == 0) throw new ArgumentException("at least one prompt is required");
        if (request.MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(request), request.MaxNewTokens, "max_new_tokens must be >= 1");
        for (var b = 0; b < request.Prompts.Count; b++)
        {
            if (request.Prompts[b].Length == 0) throw new ArgumentException($"prompt {b} is empty: it needs at least one token (e.g. BOS)");
            foreach (var id in request.Prompts[b])
                if (id < 0 || id >= model.Config.VocabSize)
                    throw new ArgumentException($"prompt {b} has token id {id} outside the vocabulary (0..{model.Config.VocabSize - 1})");
        }
        this.model = model;
        this.request = request;
        batch = request.Prompts.Count;
        promptWidth = request.Prompts.Max(p => p.Length);
        var total = promptWidth + request.MaxNewTokens;
        if (total > model.ContextLength)
            throw new ContextLengthException(promptWidth, request.MaxNewTokens, model.ContextLength);

        padding = request.Prompts.Select(p => promptWidth - p.Length).ToArray();
        sequences = request.Prompts.Select(p => p.ToList()).ToArray();
        generated = request.Prompts.Select(_ => new List<int>()).ToArray();
        lastTokens = new int[batch];
        Reasons = new FinishReason[batch];
        cache = model.NewCache(batch, total);
        if (padding.Any(p => p > 0))
        {
            var real = new bool[batch * total];
            for (var b = 0; b < batch; b++)
                for (var s = padding[b]; s < total; s++) real[b * total + s] = true;
            keyPadding = torch.tensor(real, [batch, total], model.Device).LeaveDisposeScope();
        }
        if (!request.Sampling.IsGreedy) random = SamplingRandom.For(request.Sampling);
    }

    public FinishReason[] Reasons { get; }

    public bool IsDone => Reasons.All(r => r != FinishReason.None);

    public IReadOnlyList<int> Generated(int sequence) => generated[sequence];

    /// <summary>Ends one sequence early (e.g. a stop string matched); the others go on.</summary>
    public void Finish(int sequence, FinishReason reason)
    {
        if (Reasons[sequence] == FinishReason.None) Reasons[sequence] = reason;
    }

    /// <summary>Runs one forward pass and returns the new token of every sequence (−1 for finished ones).</summary>
    public int[] Step()
    {
        if (IsDone) throw new InvalidOperationException("generation is finished");
        int[] next;
        using (var scope = torch.NewDisposeScope())
        using (torch.inference_mode())
        {
            Tensor logits;
            if (steps == 0)
            {
                var ids = new long[batch * promptWidth];
                var positions = new long[batch * promptWidth];
                for (var b = 0; b < batch; b++)
                {
                    var prompt = request.Prompts[b];
                    for (var t = 0; t < prompt.Length; t++)
                    {
                        ids[b * promptWidth + padding[b] + t] = prompt[t];
                        positions[b * promptWidth + padding[b] + t] = t;
                    }
                }
                logits = Forward(ids, positions, promptWidth, cacheStart: 0);
            }
            else
            {
                var ids = new long[batch];
                var positions = new long[batch];
                for (var b = 0; b < batch; b++)
                {
                    ids[b] = lastTokens[b];
                    positions[b] = promptWidth + steps - 1 - padding[b];
                }
                logits = Forward(ids, positions, 1, cacheStart: promptWidth + steps - 1);
            }
            next = Choose(logits);
        }
        steps++;
        var result = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            lastTokens[b] = next[b];
            if (Reasons[b] != FinishReason.None)
            {
                result[b] = -1;
                continue;
            }
            result[b] = next[b];
            if (request.StopTokenIds.Contains(next[b]))
            {
                Reasons[b] = FinishReason.StopToken;
                continue;
            }
            generated[b].Add(next[b]);
            sequences[b].Add(next[b]);
            if (generated[b].Count >= request.MaxNewTokens) Reasons[b] = FinishReason.Length;
        }
        return result;
    }

    private Tensor Forward(long[] ids, long[] positions, long T, long cacheStart)
    {
        var input = torch.tensor(ids, [batch, T], model.Device);
        var pos = torch.tensor(positions, [batch, T], model.Device);
        return model.forward(input, pos, cache, cacheStart, keyPadding, lastOnly: true).select(1, 0);   // (B, V)
    }

    private int[] Choose(Tensor logits) =>
        LogitsProcessing.Choose(logits, request.Sampling, SeenIds, random)
            .to(ScalarType.Int64, Device.CPU).data<long>().Select(v => (int)v).ToArray();

    /// <summary>Each sequence's ids so far as (B, longest), short rows repeating their first id (harmless for a set).</summary>
    private Tensor SeenIds()
    {
        var width = sequences.Max(s => s.Count);
        var ids = new long[batch * width];
        for (var b = 0; b < batch; b++)
            for (var i = 0; i < width; i++) ids[b * width + i] = i < sequences[b].Count ? sequences[b][i] : sequences[b][0];
        return torch.tensor(ids, [batch, width], model.Device);
    }

    public void Dispose()
    {
        cache.Dispose();
        keyPadding?.Dispose();
    }
}

/// <summary>The prompt plus the token budget do not fit the model's context window.</summary>
public sealed class ContextLengthException(int promptTokens, int maxNewTokens, int contextLength)
    : InvalidOperationException($"the prompt has {promptTokens} tokens and max_new_tokens is {maxNewTokens}: {promptTokens + maxNewTokens} exceeds the model's context of {contextLength} tokens; shorten the prompt or lower max_new_tokens")
{
    public int PromptTokens { get; } = promptTokens;
    public int MaxNewTokens { get; } = maxNewTokens;
    public int ContextLength { get; } = contextLength;
}
