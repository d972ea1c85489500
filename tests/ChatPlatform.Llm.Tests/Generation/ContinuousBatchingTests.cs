using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.Tests.Models;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Generation;

/// <summary>
/// Continuous batching: a request's tokens in a batch that others join and leave equal its tokens generated alone by
/// <see cref="GenerationSession"/> (the single-request reference), greedy and seeded-sampled alike.
/// </summary>
public sealed class ContinuousBatchingTests
{
    private static readonly HashSet<int> NoStops = [];

    /// <summary>A prompt, its budget, and the step of the batch at which it joins.</summary>
    private sealed record Arrival(int[] Prompt, int MaxNew, int JoinStep, SamplingOptions? Sampling = null);

    private static int[] Alone(LlamaForCausalLM model, int[] prompt, int maxNew, SamplingOptions? sampling = null, IReadOnlySet<int>? stops = null)
    {
        using var session = new GenerationSession(model, new GenerationRequest([prompt], maxNew, sampling ?? SamplingOptions.Greedy, stops ?? NoStops));
        while (!session.IsDone) session.Step();
        return session.Generated(0).ToArray();
    }

    /// <summary>Runs a batch where each arrival joins at its step and leaves when done; returns every arrival's tokens.</summary>
    private static List<int>[] Batched(LlamaForCausalLM model, IReadOnlyList<Arrival> arrivals, int maxSequences = 16,
        (int index, int atStep)? cancel = null, long promptCacheBytes = 1 << 20, Action<DecodeBatch>? atEnd = null)
    {
        using var batch = new DecodeBatch(model, maxSequences, promptCacheBytes);
        var outputs = arrivals.Select(_ => new List<int>()).ToArray();
        var sequences = new BatchSequence?[arrivals.Count];
        var owners = new Dictionary<BatchSequence, int>();
        var waiting = new Queue<int>(Enumerable.Range(0, arrivals.Count).OrderBy(i => arrivals[i].JoinStep));
        for (var step = 0; waiting.Count > 0 || batch.Count > 0; step++)
        {
            while (waiting.Count > 0 && arrivals[waiting.Peek()].JoinStep <= step && !batch.IsFull)
            {
                var i = waiting.Dequeue();
                var a = arrivals[i];
                var s = sequences[i] = new BatchSequence(model, a.Prompt, a.MaxNew, a.Sampling ?? SamplingOptions.Greedy, NoStops);
                if (batch.Add(s)) outputs[i].Add(s.LastToken);
                if (!s.IsDone) owners[s] = i;
            }
            if (cancel is { } c && c.atStep == step && sequences[c.index] is { IsDone: false } cancelled)
            {
                cancelled.Finish(FinishReason.Cancelled);
                batch.Remove(cancelled);
            }
            if (batch.Count == 0) continue;
            var emitted = batch.Step();
            foreach (var (s, r) in batch.Sequences.ToList().Select((s, r) => (s, r)))
            {
                if (emitted[r]) outputs[owners[s]].Add(s.LastToken);
                if (s.IsDone) batch.Remove(s);
            }
        }
        atEnd?.Invoke(batch);
        return outputs;
    }

    private static readonly Arrival[] Staggered =
    [
        new([1, 5, 9], 12, 0),
        new([1, 20, 21, 22, 23, 24, 25], 6, 0),            // leaves early: the last row moves into its place
        new([1, 40, 41, 42, 43], 10, 3),                    // joins mid-way, shorter than the batch's columns
        new([1, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 8, 5),   // joins mid-way, longer: the rows shift right
        new([2], 9, 5),
    ];

    [Theory]
    [InlineData(LlamaModelType.Llama, ScalarType.Float32)]   // the fused CPU decode path
    [InlineData(LlamaModelType.Llama, ScalarType.Float64)]   // the modular path (what CUDA runs)
    [InlineData(LlamaModelType.Qwen2, ScalarType.Float32)]   // q/k/v biases
    [InlineData(LlamaModelType.Qwen2, ScalarType.Float64)]
    [InlineData(LlamaModelType.Qwen3, ScalarType.Float32)]   // per-head q/k RMSNorm
    [InlineData(LlamaModelType.Qwen3, ScalarType.Float64)]
    public void GreedyTokensInAChangingBatchEqualEachRequestAlone(LlamaModelType modelType, ScalarType dtype)
    {
        var config = TinyLlama.Config(modelType);
        using var weights = TinyLlama.RandomWeights(config, seed: 41);
        using var model = TinyLlama.Build(config, weights, dtype);
        var batched = Batched(model, Staggered);
        for (var i = 0; i < Staggered.Length; i++)
            Assert.Equal(Alone(model, Staggered[i].Prompt, Staggered[i].MaxNew), batched[i]);
    }

    [Theory]
    [InlineData(LlamaModelType.Llama, ScalarType.Float32)]   // the fused CPU path prefills the rest after the copy
    [InlineData(LlamaModelType.Llama, ScalarType.Float64)]   // the modular path
    [InlineData(LlamaModelType.Qwen3, ScalarType.Float32)]
    public void PromptsSharingAPrefixReuseItsKeysAndValuesAndGenerateAsAlone(LlamaModelType modelType, ScalarType dtype)
    {
        var config = TinyLlama.Config(modelType);
        using var weights = TinyLlama.RandomWeights(config, seed: 71);
        using var model = TinyLlama.Build(config, weights, dtype);
        int[] shared = [1, 11, 12, 13, 14, 15, 16, 17, 18, 19];   // a chat template and system prompt every request starts with
        Arrival[] arrivals =
        [
            new([.. shared, 30, 31], 6, 0),
            new([.. shared, 40], 5, 1),                  // reuses the 10 shared tokens
            new([.. shared, 30, 31], 7, 2),              // the same prompt again: all but its last token, 11
            new([.. shared[..6]], 4, 3),                 // a prefix of the others: all but its last token, 5
            new([2, 11, 12], 4, 3),                      // shares nothing
            new([.. shared, 30, 31, 32, 33], 6, 6),      // a later turn of the first: its 12 tokens
        ];
        long reused = -1, computed = -1;
        var batched = Batched(model, arrivals, atEnd: b => (reused, computed) = (b.PromptTokensReused, b.PromptTokensComputed));
        for (var i = 0; i < arrivals.Length; i++)
            Assert.Equal(Alone(model, arrivals[i].Prompt, arrivals[i].MaxNew), batched[i]);
        Assert.Equal(10 + 11 + 5 + 0 + 12, reused);
        Assert.Equal(arrivals.Sum(a => a.Prompt.Length) - reused, computed);

        // No memory for it: nothing reused, the same tokens.
        var uncached = Batched(model, arrivals, promptCacheBytes: 0, atEnd: b => reused = b.PromptTokensReused);
        Assert.Equal(0, reused);
        Assert.Equal(batched, uncached);
    }

    [Fact]
    public void ThePromptCacheKeepsWithinItsBudgetEvictingTheLeastRecentlyUsed()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 73);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        long bytesPerToken = config.NumHiddenLayers * 2L * config.NumKeyValueHeads * config.HeadDim * sizeof(float);
        int[] a = [1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 30, 31], b = [2, 5, 6, 7, 8, 9, 10, 11];
        // One token each: a request that ends at its prefill leaves only its prompt behind, not an answer.
        Arrival[] arrivals = [new(a, 1, 0), new(b, 1, 1), new(a, 1, 2), new(b, 1, 3)];
        long reused = -1;
        // Room for 12 tokens: each prompt pushes the other out, so neither comes back.
        var tight = Batched(model, arrivals, promptCacheBytes: 12 * bytesPerToken, atEnd: batch => reused = batch.PromptTokensReused);
        Assert.Equal(0, reused);
        // Room for both: each comes back whole but for its last token.
        var roomy = Batched(model, arrivals, promptCacheBytes: 20 * bytesPerToken, atEnd: batch => reused = batch.PromptTokensReused);
        Assert.Equal(11 + 7, reused);
        Assert.Equal(tight, roomy);
        for (var i = 0; i < arrivals.Length; i++) Assert.Equal(Alone(model, arrivals[i].Prompt, 1), roomy[i]);
    }

    [Fact]
    public void AConversationsNextTurnReusesThePreviousPromptAndAnswer()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 79);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        int[] first = [1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 30, 31];
        var answer = Alone(model, first, 6);
        int[] next = [.. first, .. answer, 5, 6];   // the template closes the answer and adds the next message
        long reused = -1;
        var batched = Batched(model, [new(first, 6, 0), new(next, 4, 10)], atEnd: batch => reused = batch.PromptTokensReused);
        Assert.Equal(answer, batched[0]);
        Assert.Equal(Alone(model, next, 4), batched[1]);
        // The cache held the prompt and the answer's tokens that were fed back: all but the last.
        Assert.Equal(first.Length + answer.Length - 1, reused);
    }

    [Fact]
    public void ACancelledRequestLeavesAtOnceAndTheOthersGoOnUnchanged()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 43);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        var batched = Batched(model, Staggered, cancel: (index: 0, atStep: 4));
        var alone0 = Alone(model, Staggered[0].Prompt, Staggered[0].MaxNew);
        Assert.Equal(alone0[..batched[0].Count], batched[0]);   // what it made before, and nothing after
        Assert.Equal(5, batched[0].Count);                       // the prefill token and steps 0..3
        for (var i = 1; i < Staggered.Length; i++)
            Assert.Equal(Alone(model, Staggered[i].Prompt, Staggered[i].MaxNew), batched[i]);
    }

    [Fact]
    public void ALongRunningBatchCompactsItsCacheAndStaysExact()
    {
        // 30 requests joining every two steps run far past the 64-token context in total, so the shared cache's
        // columns wrap round (compaction) many times; a batch cap of 4 keeps the later ones waiting for a free row.
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 47);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        var arrivals = Enumerable.Range(0, 30)
            .Select(i => new Arrival(Enumerable.Range(0, 1 + i % 9).Select(t => (1 + 7 * i + 3 * t) % 64).ToArray(), 4 + i % 11, 2 * i))
            .ToArray();
        var batched = Batched(model, arrivals, maxSequences: 4);
        for (var i = 0; i < arrivals.Length; i++)
            Assert.Equal(Alone(model, arrivals[i].Prompt, arrivals[i].MaxNew), batched[i]);
    }

    [Fact]
    public void SeededSamplingDrawsTheSameTokensAloneAndBatched()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 53);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        var sampled = new SamplingOptions { Temperature = 0.9, TopP = 0.95, Seed = 1234 };
        var penalised = new SamplingOptions { Temperature = 0, RepetitionPenalty = 1.3 };
        Arrival[] arrivals =
        [
            new([1, 5, 9], 14, 0, sampled),
            new([1, 20, 21, 22], 10, 0),
            new([1, 30, 31], 12, 2, penalised),
            new([1, 40, 41, 42, 43, 44], 8, 1, sampled with { Seed = 99, TopK = 10 }),
            new([1, 50, 51], 11, 1, sampled with { Seed = 7 }),   // shares the first one's settings: one pass for both, two draws
            new([1, 60], 9, 3, sampled with { Seed = 8 }),
        ];
        var batched = Batched(model, arrivals);
        for (var i = 0; i < arrivals.Length; i++)
            Assert.Equal(Alone(model, arrivals[i].Prompt, arrivals[i].MaxNew, arrivals[i].Sampling), batched[i]);
        Assert.NotEqual(Alone(model, arrivals[0].Prompt, 14, sampled with { Seed = 1235 }), batched[0]);   // the seed matters
    }

    [Theory]
    [InlineData(VirtualTokenAdapter.PromptTuning)]
    [InlineData(VirtualTokenAdapter.PrefixTuning)]
    public void VirtualTokenAdaptersBatchExactly(string kind)
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 59);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        using (var g = new Generator(5))
        {
            if (kind == VirtualTokenAdapter.PromptTuning) VirtualTokenAdapter.ApplyPromptTuning(model, 3, g);
            else VirtualTokenAdapter.ApplyPrefixTuning(model, 3, g);
        }
        var batched = Batched(model, Staggered);
        for (var i = 0; i < Staggered.Length; i++)
            Assert.Equal(Alone(model, Staggered[i].Prompt, Staggered[i].MaxNew), batched[i]);
    }

    [Fact]
    public void AStopTokenEndsOnlyItsOwnSequence()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 61);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        var free = Alone(model, [1, 5, 9], 12);
        var stop = free[4];   // its fifth token becomes a stop token: four tokens, then StopToken
        using var batch = new DecodeBatch(model, 4);
        var stopped = new BatchSequence(model, [1, 5, 9], 12, SamplingOptions.Greedy, new HashSet<int> { stop });
        var other = new BatchSequence(model, [1, 20, 21], 12, SamplingOptions.Greedy, NoStops);
        batch.Add(stopped);
        batch.Add(other);
        while (!stopped.IsDone) batch.Step();
        Assert.Equal(FinishReason.StopToken, stopped.Reason);
        Assert.Equal(free[..free.IndexOf(stop)], stopped.Generated);
        Assert.False(other.IsDone);
    }

    [Fact]
    public void RequestsBeyondTheCapOrInvalidAreRefusedClearly()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 67);
        using var model = TinyLlama.Build(config, weights, ScalarType.Float32);
        Assert.Throws<ContextLengthException>(() => new BatchSequence(model, new int[60], 10, SamplingOptions.Greedy, NoStops));
        Assert.Contains("outside the vocabulary", Assert.Throws<ArgumentException>(() =>
            new BatchSequence(model, [1, 64], 4, SamplingOptions.Greedy, NoStops)).Message);
        using var batch = new DecodeBatch(model, 1);
        var first = new BatchSequence(model, [1, 2], 4, SamplingOptions.Greedy, NoStops);
        var second = new BatchSequence(model, [1, 3], 4, SamplingOptions.Greedy, NoStops);
        batch.Add(first);
        Assert.True(batch.IsFull);
        Assert.Throws<InvalidOperationException>(() => batch.Add(second));
    }
}
