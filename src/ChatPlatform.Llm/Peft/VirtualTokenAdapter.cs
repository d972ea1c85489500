using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Peft;

/// <summary>
/// Prompt tuning (learned input embeddings) and prefix tuning (learned per-layer keys and values): adapters of a few
/// virtual tokens that leave every base weight frozen. Saved in PEFT's layout: adapter_config.json with peft_type
/// PROMPT_TUNING or PREFIX_TUNING and adapter_model.safetensors holding "prompt_embeddings" — (P, hidden) for prompt
/// tuning, (P, layers·2·kvHeads·headDim) for prefix tuning, per token [layer 0 keys, layer 0 values, layer 1 keys, …]
/// as PEFT's past_key_values view reads it.
/// </summary>
public static class VirtualTokenAdapter
{
    public const string PromptTuning = "PROMPT_TUNING";
    public const string PrefixTuning = "PREFIX_TUNING";

    /// <summary>Freezes the model and adds P prompt embeddings, initialised as copies of random vocabulary embeddings.</summary>
    public static Tensor ApplyPromptTuning(LlamaForCausalLM model, int tokens, Generator? generator = null)
    {
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "num_virtual_tokens must be >= 1");
        Freeze(model);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var ids = torch.multinomial(torch.ones([model.Config.VocabSize], device: model.Device), tokens, replacement: false, generator: generator);
        var init = model.Model.EmbedTokens.weight.index_select(0, ids).to(ScalarType.Float32).clone().LeaveDisposeScope();
        model.Model.SetPromptEmbeddings(init);
        return init;
    }

    /// <summary>Freezes the model and adds P learned keys and values to every attention layer, initialised N(0, 0.02²).</summary>
    public static void ApplyPrefixTuning(LlamaForCausalLM model, int tokens, Generator? generator = null)
    {
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "num_virtual_tokens must be >= 1");
        Freeze(model);
        var c = model.Config;
        for (var l = 0; l < c.NumHiddenLayers; l++)
        {
            Tensor Make() => torch.empty([c.NumKeyValueHeads, tokens, c.HeadDim], model.DType, model.Device).normal_(0, 0.02, generator);
            Attention(model, l).SetPrefix(Make(), Make());
        }
    }

    public static void Save(string folder, LlamaForCausalLM model, string? baseModelNameOrPath)
    {
        Directory.CreateDirectory(folder);
        var c = model.Config;
        using var scope = torch.NewDisposeScope();
        string type;
        Tensor embeddings;
        if (model.Model.PromptEmbeddings is { } prompt)
        {
            type = PromptTuning;
            embeddings = prompt;
        }
        else if (Attention(model, 0).PrefixKeys is not null)
        {
            type = PrefixTuning;
            var parts = new List<Tensor>();
            for (var l = 0; l < c.NumHiddenLayers; l++)
            {
                var a = Attention(model, l);
                foreach (var t in new[] { a.PrefixKeys!, a.PrefixValues! })
                    parts.Add(t.permute(1, 0, 2).reshape(t.size(1), -1));   // (P, kvHeads·hd)
            }
            embeddings = torch.cat(parts, 1);
        }
        else
        {
            throw new InvalidOperationException("the model has neither prompt embeddings nor attention prefixes to save");
        }
        SafeTensorsWriter.Write(Path.Combine(folder, LoraAdapter.WeightsFile), [("prompt_embeddings", embeddings)],
            new Dictionary<string, string> { ["format"] = "pt" });
        var json = new JsonObject
        {
            ["peft_type"] = type,
            ["task_type"] = "CAUSAL_LM",
            ["num_virtual_tokens"] = embeddings.size(0),
            ["token_dim"] = c.HiddenSize,
            ["num_transformer_submodules"] = 1,
            ["num_attention_heads"] = c.NumAttentionHeads,
            ["num_layers"] = c.NumHiddenLayers,
            ["encoder_hidden_size"] = c.HiddenSize,
            ["prefix_projection"] = false,
            ["inference_mode"] = true,
            ["base_model_name_or_path"] = baseModelNameOrPath,
        };
        if (type == PromptTuning) json["prompt_tuning_init"] = "RANDOM";
        IO.AtomicFile.WriteAllText(Path.Combine(folder, LoraAdapter.ConfigFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Adds a saved prompt- or prefix-tuning adapter to the model (frozen base, as trained).</summary>
    public static void Load(LlamaForCausalLM model, string folder, string peftType)
    {
        var path = Path.Combine(folder, LoraAdapter.WeightsFile);
        using var file = SafeTensorsFile.Open(path);
        if (!file.Contains("prompt_embeddings")) throw new InvalidDataException($"{path}: tensor 'prompt_embeddings' is missing");
        var shape = file.Info("prompt_embeddings").ShapeArray();
        var c = model.Config;
        using var scope = torch.NewDisposeScope();
        var embeddings = file.Load("prompt_embeddings", ScalarType.Float32, model.Device);
        Freeze(model);
        if (peftType == PromptTuning)
        {
            if (shape.Length != 2 || shape[1] != c.HiddenSize)
                throw new InvalidDataException($"{path}: prompt_embeddings has shape [{string.Join(", ", shape)}], the model needs [P, {c.HiddenSize}]");
            model.Model.SetPromptEmbeddings(embeddings.LeaveDisposeScope());
            return;
        }
        var perToken = (long)c.NumHiddenLayers * 2 * c.NumKeyValueHeads * c.HeadDim;
        if (shape.Length != 2 || shape[1] != perToken)
            throw new InvalidDataException($"{path}: prompt_embeddings has shape [{string.Join(", ", shape)}], prefix tuning of this model needs [P, {perToken}]");
        var P = shape[0];
        var view = embeddings.view(P, 2L * c.NumHiddenLayers, c.NumKeyValueHeads, c.HeadDim);
        for (var l = 0; l < c.NumHiddenLayers; l++)
        {
            Tensor Part(int j) => view.select(1, j).permute(1, 0, 2).to(model.DType).contiguous().clone().LeaveDisposeScope();  // (kvHeads, P, hd)
            Attention(model, l).SetPrefix(Part(2 * l), Part(2 * l + 1));
        }
    }

    private static void Freeze(LlamaForCausalLM model)
    {
        foreach (var p in model.parameters()) p.requires_grad = false;
    }

    private static LlamaAttention Attention(LlamaForCausalLM model, int layer) =>
        (LlamaAttention)model.Model.Layer(layer).get_module("self_attn")!;
}
