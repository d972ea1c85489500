using System.Text.Json.Nodes;
using ChatPlatform.Llm.Models.Llama;

namespace ChatPlatform.Llm.Peft;

/// <summary>Loads any adapter folder this platform writes (PEFT layout), by its peft_type.</summary>
public static class PeftAdapter
{
    /// <summary>Applies the adapter; LoRA is merged into the weights when <paramref name="mergeLora"/> (free at inference).</summary>
    public static string Load(LlamaForCausalLM model, string folder, bool mergeLora = true)
    {
        var path = Path.Combine(folder, LoraAdapter.ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: an adapter folder needs {LoraAdapter.ConfigFile}", path);
        var type = JsonNode.Parse(File.ReadAllText(path))?["peft_type"]?.GetValue<string>();
        switch (type)
        {
            case "LORA":
                var adapters = LoraAdapter.Load(model, folder);
                if (mergeLora) LoraAdapter.MergeAll(adapters);
                break;
            case VirtualTokenAdapter.PromptTuning or VirtualTokenAdapter.PrefixTuning:
                VirtualTokenAdapter.Load(model, folder, type);
                break;
            default:
                throw new InvalidDataException($"{path}: peft_type '{type}' is not supported (LORA, PROMPT_TUNING, PREFIX_TUNING)");
        }
        model.eval();
        return type;
    }
}
