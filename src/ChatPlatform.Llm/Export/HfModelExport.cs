using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Export;

/// <summary>
/// Writes a model as a Hugging Face folder transformers loads as is: the weights under their original names (LoRA
/// layers must be merged first; their "base_layer" holds the merged weight), sharded at 5 GB like transformers, plus
/// every non-weight file of the source folder (config, tokenizer, generation config, chat template). Written to a
/// temporary folder and renamed, so a failure never leaves a half-written model.
/// </summary>
public static class HfModelExport
{
    public static void Write(LlamaForCausalLM model, string sourceFolder, string outputFolder, ScalarType dtype,
        long maxShardBytes = 5_000_000_000)
    {
        var output = Path.GetFullPath(outputFolder);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new IOException($"{output} already exists and is not empty: choose a new output folder");
        var temp = output + ".partial";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);

        foreach (var file in Directory.GetFiles(sourceFolder))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".safetensors", StringComparison.Ordinal) || name == "model.safetensors.index.json" ||
                name.EndsWith(".bin", StringComparison.Ordinal) || name.EndsWith(".pt", StringComparison.Ordinal))
                continue;
            File.Copy(file, Path.Combine(temp, name));
        }

        using (var scope = torch.NewDisposeScope())
        {
            SafeTensorsWriter.WriteSharded(temp, Weights(model, dtype), maxShardBytes);
        }
        if (Directory.Exists(output)) Directory.Delete(output);
        Directory.Move(temp, output);
    }

    /// <summary>The dtype a checkpoint folder stores its weights in (that of its embedding table).</summary>
    public static ScalarType StoredDtype(string modelFolder)
    {
        using var weights = SafeTensorsCheckpoint.Open(modelFolder);
        return weights.Info("model.embed_tokens.weight").DType;
    }

    /// <summary>The base weights by their checkpoint names, in the export dtype; adapters must be merged.</summary>
    private static IEnumerable<(string, Tensor)> Weights(LlamaForCausalLM model, ScalarType dtype)
    {
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal))
            {
                if (!IsMerged(model, name))
                    throw new InvalidOperationException($"'{name}' belongs to an unmerged LoRA adapter: merge adapters before exporting");
                continue;
            }
            var exportName = name.Replace(".base_layer.", ".", StringComparison.Ordinal);
            yield return (exportName, parameter.dtype == dtype ? parameter.detach() : parameter.detach().to(dtype));
        }
    }

    private static bool IsMerged(LlamaForCausalLM model, string loraParameter)
    {
        var path = loraParameter[..loraParameter.IndexOf(".lora_", StringComparison.Ordinal)];
        return model.named_modules().FirstOrDefault(m => m.name == path).module is Peft.LoraLinear { Merged: true };
    }
}
