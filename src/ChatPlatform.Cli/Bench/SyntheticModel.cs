using System.Text.Json;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// A randomly initialised Llama checkpoint written to a temporary folder, for benchmarks at a realistic size when no
/// real model is at hand (no model hub is reachable). ~110M parameters: hidden 768, 12 layers, vocab 32000, tied.
/// </summary>
internal sealed class SyntheticModel : IDisposable
{
    public SyntheticModel(int hidden = 768, int layers = 12, int heads = 12, int kvHeads = 4, int intermediate = 2048, int vocab = 32000)
    {
        Folder = Path.Combine(Path.GetTempPath(), "chatplatform-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var headDim = hidden / heads;
        var config = new Dictionary<string, object>
        {
            ["model_type"] = "llama", ["vocab_size"] = vocab, ["hidden_size"] = hidden, ["intermediate_size"] = intermediate,
            ["num_hidden_layers"] = layers, ["num_attention_heads"] = heads, ["num_key_value_heads"] = kvHeads,
            ["max_position_embeddings"] = 2048, ["rms_norm_eps"] = 1e-5, ["tie_word_embeddings"] = true, ["hidden_act"] = "silu",
        };
        File.WriteAllText(Path.Combine(Folder, "config.json"), JsonSerializer.Serialize(config));
        using var g = new Generator(0);
        IEnumerable<(string, Tensor)> Weights()
        {
            Tensor R(params long[] shape) => torch.randn(shape, generator: g).mul_(0.02);
            yield return ("model.embed_tokens.weight", R(vocab, hidden));
            for (var i = 0; i < layers; i++)
            {
                var p = $"model.layers.{i}";
                yield return ($"{p}.self_attn.q_proj.weight", R(heads * headDim, hidden));
                yield return ($"{p}.self_attn.k_proj.weight", R(kvHeads * headDim, hidden));
                yield return ($"{p}.self_attn.v_proj.weight", R(kvHeads * headDim, hidden));
                yield return ($"{p}.self_attn.o_proj.weight", R(hidden, heads * headDim));
                yield return ($"{p}.mlp.gate_proj.weight", R(intermediate, hidden));
                yield return ($"{p}.mlp.up_proj.weight", R(intermediate, hidden));
                yield return ($"{p}.mlp.down_proj.weight", R(hidden, intermediate));
                yield return ($"{p}.input_layernorm.weight", torch.ones([hidden]));
                yield return ($"{p}.post_attention_layernorm.weight", torch.ones([hidden]));
            }
            yield return ("model.norm.weight", torch.ones([hidden]));
        }
        using var scope = torch.NewDisposeScope();
        SafeTensorsWriter.Write(Path.Combine(Folder, "model.safetensors"), Weights());
    }

    public string Folder { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }
}
