using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Llama;

/// <summary>
/// The Llama family decoder (Llama 2/3, Mistral, Qwen2, Qwen3, SmolLM, TinyLlama) with its language-model head.
/// Parameter names are transformers' ("model.layers.0.self_attn.q_proj.weight"), so checkpoints and adapters map 1:1.
/// </summary>
public sealed class LlamaForCausalLM : torch.nn.Module
{
    private readonly LlamaModel model;
    private readonly torch.nn.Linear? lmHead;  // null when tied to the embedding

    public LlamaConfig Config { get; }
    public ScalarType DType { get; }
    public Device Device { get; }

    public LlamaForCausalLM(LlamaConfig config, IWeightSource weights, ScalarType dtype, Device device)
    {
        Config = config;
        DType = dtype;
        Device = device;
        model = register_module("model", new LlamaModel(config, weights, dtype, device));
        // Some tied checkpoints still store lm_head.weight; a tied config means the embedding is the head.
        if (!config.TieWordEmbeddings)
            lmHead = register_module("lm_head", new torch.nn.Linear(weights.Load("lm_head.weight", dtype, device), requiresGrad: false));
        eval();
    }

    public LlamaModel Model => model;

    /// <summary>Loads config.json and the safetensors weights (single file or shards) of a Hugging Face folder.</summary>
    public static LlamaForCausalLM FromFolder(string folder, ScalarType dtype, Device device)
    {
        var config = LlamaConfig.Load(Path.Combine(folder, LlamaConfig.FileName));
        using var weights = SafeTensors.SafeTensorsCheckpoint.Open(folder);
        return new LlamaForCausalLM(config, weights, dtype, device);
    }

    /// <summary>A cache sized for <paramref name="batch"/> sequences of up to <paramref name="maxLength"/> tokens.</summary>
    public KvCache NewCache(long batch, long maxLength) =>
        new(Config.NumHiddenLayers, batch, Config.NumKeyValueHeads, maxLength + model.PromptTokens, Config.HeadDim, DType, Device);

    /// <summary>Positions a sequence may use: the context minus prompt tuning's virtual tokens.</summary>
    public int ContextLength => Config.MaxPositionEmbeddings - (int)model.PromptTokens;

    /// <summary>
    /// Logits (B, T, vocab), float32 for half-precision models, for tokens (B, T) at <paramref name="positions"/> (B, T). With a cache the tokens
    /// are appended at <paramref name="cacheStart"/>. <paramref name="keyPadding"/> (B, S) bool marks real keys (false =
    /// padding) for batches of different lengths. <paramref name="lastOnly"/> projects only the last position to the
    /// vocabulary (all generation needs, and T times cheaper).
    /// </summary>
    /// <remarks><paramref name="attentionMask"/> (B, 1, T, S) bool replaces the causal/padding mask when given (e.g. the
    /// block-diagonal mask of packed training sequences).</remarks>
    public Tensor forward(Tensor inputIds, Tensor positions, KvCache? cache = null, long cacheStart = 0,
        Tensor? keyPadding = null, bool lastOnly = false, Tensor? attentionMask = null)
    {
        var hidden = model.forward(inputIds, positions, cache, cacheStart, keyPadding, attentionMask);   // (B, T, C)
        if (lastOnly) hidden = hidden.narrow(1, hidden.size(1) - 1, 1);
        return Head(hidden);
    }

    /// <summary>Vocabulary logits for final (normed) hidden states (lm_head, or the tied embedding); half precision is
    /// widened to float32 so softmax and sampling see full-precision scores.</summary>
    public Tensor Head(Tensor hidden)
    {
        var logits = lmHead is not null
            ? lmHead.forward(hidden)
            : torch.nn.functional.linear(hidden, model.EmbedTokens.weight);
        return logits.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? logits.to(ScalarType.Float32) : logits;
    }
}

/// <summary>Embeddings, the decoder layers and the final norm.</summary>
public sealed class LlamaModel : torch.nn.Module
{
    private readonly torch.nn.ModuleList<LlamaDecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding rotary;

    public LlamaModel(LlamaConfig config, IWeightSource weights, ScalarType dtype, Device device)
    {
        EmbedTokens = register_module("embed_tokens",
            new torch.nn.Embedding(weights.Load("model.embed_tokens.weight", dtype, device), requiresGrad: false));
        layers = register_module("layers", new torch.nn.ModuleList<LlamaDecoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, weights, i, dtype, device))));
        norm = register_module("norm", new RmsNorm(weights.Load("model.norm.weight", dtype, device), config.RmsNormEps));
        rotary = new RotaryEmbedding(config, dtype, device);
    }

    public torch.nn.Embedding EmbedTokens { get; }

    /// <summary>Prompt tuning's learned virtual-token embeddings (P, C), or null.</summary>
    public Tensor? PromptEmbeddings { get; private set; }

    public long PromptTokens => PromptEmbeddings?.size(0) ?? 0;

    /// <summary>
    /// Adds learned virtual tokens before every sequence (Lester et al. 2021, "The Power of Scale for Parameter-Efficient
    /// Prompt Tuning"), taking ownership of the (P, C) tensor. They take the first P positions and cache slots; callers
    /// keep using positions and cache offsets of the real tokens, and outputs cover the real tokens only.
    /// </summary>
    public void SetPromptEmbeddings(Tensor embeddings)
    {
        if (PromptEmbeddings is not null) throw new InvalidOperationException("the model already has prompt embeddings");
        PromptEmbeddings = register_parameter("prompt_embeddings", embeddings);
    }

    public Tensor forward(Tensor inputIds, Tensor positions, KvCache? cache, long cacheStart, Tensor? keyPadding,
        Tensor? attentionMask = null)
    {
        var T = inputIds.size(1);
        var x = EmbedTokens.forward(inputIds);                    // (B, T, C)
        var P = PromptTokens;
        var prepended = false;
        if (P > 0)
        {
            if (attentionMask is not null) throw new NotSupportedException("prompt tuning with packed sequences is not supported");
            var B = x.size(0);
            positions = positions + P;
            if (keyPadding is not null) keyPadding = torch.cat([torch.ones([B, P], ScalarType.Bool, x.device), keyPadding], 1);
            if (cache is null || cacheStart == 0)
            {
                var prompt = PromptEmbeddings!.dtype == x.dtype ? PromptEmbeddings : PromptEmbeddings.to(x.dtype);
                x = torch.cat([prompt.unsqueeze(0).expand(B, P, x.size(2)), x], 1);   // (B, P + T, C)
                positions = torch.cat([torch.arange(P, device: x.device).unsqueeze(0).expand(B, P), positions], 1);
                T += P;
                prepended = true;
            }
            else
            {
                cacheStart += P;
            }
        }
        var oneSequencePrefill = T > 1 && x.size(0) == 1 && !prepended && T <= FusedPrefillMaxTokens;
        if ((T == 1 || oneSequencePrefill) && cache is not null && attentionMask is null
            && TryDecodeFused(x, positions, cache, cacheStart, keyPadding, oneSequence: T > 1) is { } fused)
            return norm.forward(fused);
        var (cos, sin) = Rotary(positions);                     // (B, 1, T, hd)
        var mask = attentionMask ?? AttentionMask(T, cacheStart, keyPadding, x.device);
        for (var i = 0; i < layers.Count; i++)
        {
            // A scope per layer frees its temporaries at once (autograd keeps what backward needs on its own).
            using var scope = torch.NewDisposeScope();
            x = scope.MoveToOuter(layers[i].forward(x, cos, sin, mask, cache, cacheStart));
        }
        if (prepended) x = x.narrow(1, P, T - P);
        return norm.forward(x);
    }

    /// <summary>
    /// Whether decoding one token may take the fused engine path (<see cref="FusedDecode"/>) where it applies: float32
    /// on the CPU, no gradients. On by default; off runs every layer through the modular path (the reference).
    /// </summary>
    public bool FusedDecoding { get; set; } = true;

    /// <summary>
    /// The longest prompt of one sequence that the fused path prefills (as consecutive rows attending causally). A short
    /// prompt run op by op is mostly per-op cost (~200 engine calls for a 5-layer model); the fused kernel's attention is
    /// a plain loop, quadratic in the prompt, so longer prompts go to the modular path's matrix products.
    /// </summary>
    public const int FusedPrefillMaxTokens = 256;

    /// <summary>
    /// Runs all layers for one token per sequence through the fused path, or returns null (nothing done) when any
    /// layer needs the modular path. x (B, 1, C); the result is the last layer's output (B, 1, C). With
    /// <paramref name="oneSequence"/>, x is (1, T, C): the T tokens of one sequence, written at slot, slot + 1, ...
    /// </summary>
    private Tensor? TryDecodeFused(Tensor x, Tensor positions, KvCache cache, long slot, Tensor? keyPadding, bool oneSequence)
    {
        if (!FusedDecoding || !FusedDecode.Supports(x.dtype, x.device) || torch.is_grad_enabled()) return null;
        var shape = x.shape;
        cache.EnsureCapacity(slot + shape[1]);
        // (rows, C), updated in place layer by layer: x is the embedding lookup's own fresh tensor, so nothing else sees it.
        var hidden = x.reshape(shape[0] * shape[1], shape[2]);
        var (c, s) = rotary.Rows(positions.reshape(-1));                 // (B, hd)
        var padding = keyPadding?.contiguous();
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].TryDecodeFused(hidden, c, s, cache, slot, padding, oneSequence)) continue;
            if (i == 0) return null;
            // Layers are uniform in practice; a mixed model would need both paths per token, which nothing builds.
            throw new InvalidOperationException($"layer {i} cannot take the fused decode path although layer 0 did");
        }
        return hidden.view(shape);
    }

    // The pieces of forward, for callers that run layers one at a time (activation checkpointing in the trainer).

    public int LayerCount => layers.Count;

    public LlamaDecoderLayer Layer(int index) => layers[index];

    public RmsNorm Norm => norm;

    /// <summary>cos and sin for positions (B, T), shaped (B, 1, T, headDim).</summary>
    public (Tensor cos, Tensor sin) Rotary(Tensor positions) => rotary.ForPositions(positions);

    /// <summary>
    /// (B or 1, 1, T, S) bool: query t (at absolute slot cacheStart + t) sees keys s ≤ cacheStart + t that are not
    /// padding. Each query also always sees itself, so a padding row is never fully masked (that would give NaN,
    /// and NaN values poison real rows through 0·NaN). Null when nothing needs masking (one token, no padding).
    /// </summary>
    public static Tensor? AttentionMask(long T, long cacheStart, Tensor? keyPadding, Device device)
    {
        if (T == 1 && keyPadding is null) return null;
        var S = cacheStart + T;
        var queries = torch.arange(cacheStart, S, 1, device: device).unsqueeze(1);   // (T, 1)
        var keys = torch.arange(0, S, 1, device: device).unsqueeze(0);               // (1, S)
        var causal = keys.le(queries);                                               // (T, S)
        if (keyPadding is null) return causal.unsqueeze(0).unsqueeze(0);
        var allowed = causal.unsqueeze(0).logical_and(keyPadding.narrow(1, 0, S).unsqueeze(1));   // (B, T, S)
        return allowed.logical_or(keys.eq(queries).unsqueeze(0)).unsqueeze(1);
    }

    public override void Dispose()
    {
        rotary.Dispose();
        base.Dispose();
    }
}
