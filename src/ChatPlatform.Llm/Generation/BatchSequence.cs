using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// One request's state in a <see cref="DecodeBatch"/>: its prompt, the tokens it has made, its own sampling settings and
/// random generator (so a seeded request draws the same tokens whatever else shares the batch), and why it ended.
/// </summary>
public sealed class BatchSequence
{
    private readonly int maxNewTokens;
    private readonly IReadOnlySet<int> stopTokenIds;
    private readonly List<int> seen;       // prompt + generated ids, for the repetition penalty
    private readonly List<int> generated = [];
    private readonly SamplingRandom? random;
    private readonly Device device;

    /// <summary>Validates the request as <see cref="GenerationSession"/> does (token ids, budget, context, sampling).</summary>
    public BatchSequence(LlamaForCausalLM model, int[] prompt, int maxNewTokens, SamplingOptions sampling, IReadOnlySet<int> stopTokenIds)
    {
        sampling.Validate();
        if (prompt.Length == 0) throw new ArgumentException("the prompt is empty: it needs at least one token (e.g. BOS)");
        foreach (var id in prompt)
            if (id < 0 || id >= model.Config.VocabSize)
                throw new ArgumentException($"the prompt has token id {id} outside the vocabulary (0..{model.Config.VocabSize - 1})");
        if (maxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "max_new_tokens must be >= 1");
        if (prompt.Length + maxNewTokens > model.ContextLength)
            throw new ContextLengthException(prompt.Length, maxNewTokens, model.ContextLength);
        Prompt = prompt;
        this.maxNewTokens = maxNewTokens;
        Sampling = sampling;
        this.stopTokenIds = stopTokenIds;
        seen = [.. prompt];
        device = model.Device;
        if (!sampling.IsGreedy) random = SamplingRandom.For(sampling);
    }

    public int[] Prompt { get; }

    public SamplingOptions Sampling { get; }

    /// <summary>Tokens whose keys and values are in the batch's cache: the prompt, then every token fed back.</summary>
    public int CachedLength { get; internal set; }

    /// <summary>Prompt tokens whose keys and values came from the prompt cache rather than a forward pass.</summary>
    public int CachedPromptTokens { get; internal set; }

    /// <summary>The last token chosen, the next one to feed the model.</summary>
    public int LastToken { get; private set; }

    public IReadOnlyList<int> Generated => generated;

    public FinishReason Reason { get; private set; }

    public bool IsDone => Reason != FinishReason.None;

    /// <summary>Whether the plain argmax of the logits is this sequence's choice (so a batch can take it for many rows at once).</summary>
    internal bool IsPlainGreedy => Sampling.IsGreedy && Sampling.RepetitionPenalty == 1.0;

    /// <summary>
    /// Whether the token is drawn from <see cref="LogitsProcessing.Probabilities"/> alone (no repetition penalty, which
    /// depends on the sequence's own history), so rows with the same settings can share that computation.
    /// </summary>
    internal bool SamplesWithoutPenalty => !Sampling.IsGreedy && Sampling.RepetitionPenalty == 1.0;

    /// <summary>Its next random number for <see cref="LogitsProcessing.Draw"/>, from its own generator.</summary>
    internal double NextUniform() => random!.NextUniform();

    /// <summary>This sequence's next token from its logits row (1, V).</summary>
    internal int Choose(Tensor logits) =>
        (int)LogitsProcessing.Choose(logits, Sampling, SeenIds, random).to(ScalarType.Int64, Device.CPU).data<long>()[0];

    /// <summary>
    /// Takes the chosen token: false (not emitted) for a stop token, which ends the sequence; otherwise the token counts
    /// against the budget, and the sequence ends when the budget is spent.
    /// </summary>
    internal bool Accept(int token)
    {
        if (IsDone) throw new InvalidOperationException("the sequence has finished");
        LastToken = token;
        if (stopTokenIds.Contains(token))
        {
            Reason = FinishReason.StopToken;
            return false;
        }
        generated.Add(token);
        seen.Add(token);
        if (generated.Count >= maxNewTokens) Reason = FinishReason.Length;
        return true;
    }

    /// <summary>Ends the sequence early (cancellation); a finished sequence keeps its first reason.</summary>
    public void Finish(FinishReason reason)
    {
        if (Reason == FinishReason.None) Reason = reason;
    }

    private Tensor SeenIds() => torch.tensor(seen.Select(i => (long)i).ToArray(), [1, seen.Count], device);
}
