using System.Text.Json.Nodes;
using ChatPlatform.Llm.Configuration;

namespace ChatPlatform.Training.Pretraining;

/// <summary>
/// Shapes for small Llama models trained from scratch (the offline starter model): sizes in the spirit of
/// llama2.c's tinyllamas, with grouped key/value heads and SwiGLU width ≈ 8/3 · hidden rounded to 32.
/// </summary>
public static class ModelPresets
{
    public static readonly IReadOnlyDictionary<string, (int Hidden, int Layers, int Heads, int KvHeads, int Context)> All =
        new Dictionary<string, (int, int, int, int, int)>(StringComparer.OrdinalIgnoreCase)
        {
            ["nano"] = (128, 4, 4, 2, 512),      // ~0.4M parameters + embeddings
            ["micro"] = (288, 6, 6, 6, 1024),    // tinyllamas' stories15M shape
            ["small"] = (512, 8, 8, 4, 2048),
        };

    public static LlamaConfig Create(string preset, int vocabSize, int? bosTokenId, int? eosTokenId)
    {
        if (!All.TryGetValue(preset, out var p))
            throw new ArgumentException($"unknown preset '{preset}' (known: {string.Join(", ", All.Keys)})");
        var intermediate = (int)Math.Ceiling(p.Hidden * 8 / 3.0 / 32) * 32;
        return new LlamaConfig(LlamaModelType.Llama, vocabSize, p.Hidden, intermediate, p.Layers, p.Heads, p.KvHeads,
            rmsNormEps: 1e-5, maxPositionEmbeddings: p.Context, tieWordEmbeddings: true, bosTokenId: bosTokenId,
            eosTokenIds: eosTokenId is { } e ? [e] : null);
    }

    /// <summary>config.json for a model made here, as transformers writes a LlamaConfig.</summary>
    public static string ToConfigJson(LlamaConfig c) => new JsonObject
    {
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
        ["model_type"] = "llama",
        ["vocab_size"] = c.VocabSize,
        ["hidden_size"] = c.HiddenSize,
        ["intermediate_size"] = c.IntermediateSize,
        ["num_hidden_layers"] = c.NumHiddenLayers,
        ["num_attention_heads"] = c.NumAttentionHeads,
        ["num_key_value_heads"] = c.NumKeyValueHeads,
        ["head_dim"] = c.HeadDim,
        ["max_position_embeddings"] = c.MaxPositionEmbeddings,
        ["rms_norm_eps"] = c.RmsNormEps,
        ["rope_theta"] = c.RopeTheta,
        ["hidden_act"] = "silu",
        ["attention_bias"] = false,
        ["mlp_bias"] = false,
        ["tie_word_embeddings"] = c.TieWordEmbeddings,
        ["bos_token_id"] = c.BosTokenId,
        ["eos_token_id"] = c.EosTokenIds.Count > 0 ? c.EosTokenIds[0] : null,
        ["torch_dtype"] = "float32",
    }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
