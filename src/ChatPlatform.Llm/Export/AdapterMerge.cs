using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Export;

/// <summary>
/// Base model + LoRA adapter → a standalone Hugging Face folder. The merge runs in float32 (bf16 sums would lose the
/// adapter's small updates) and the result is written in the base checkpoint's own dtype.
/// </summary>
public static class AdapterMerge
{
    public static void Run(string modelFolder, string adapterFolder, string outputFolder)
    {
        var storedDtype = HfModelExport.StoredDtype(modelFolder);
        using (var model = LlamaForCausalLM.FromFolder(modelFolder, ScalarType.Float32, Device.CPU))
        {
            LoraAdapter.MergeAll(LoraAdapter.Load(model, adapterFolder));
            HfModelExport.Write(model, modelFolder, outputFolder, storedDtype);
        }
    }
}
