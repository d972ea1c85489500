using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Export;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Peft;

public sealed class MergeExportTests
{
    private static LlamaForCausalLM Load(string folder) => LlamaForCausalLM.FromFolder(folder, ScalarType.Float32, Device.CPU);

    private static float[] Logits(LlamaForCausalLM model)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        long[] tokens = [1, 403, 407, 261, 378, 29, 7];
        return model.forward(torch.tensor(tokens, [1, tokens.Length]), torch.arange(tokens.Length).unsqueeze(0)).data<float>();
    }

    [Fact]
    public void AMergedFolderGivesTheLogitsOfBasePlusAdapter()
    {
        var source = SharedModels.Folder(SharedModels.Stories260K);
        using var work = new TempFolder();
        float[] adapted;
        using (var model = Load(source))
        {
            var config = new LoraConfig { R = 4, Alpha = 8, Dropout = 0 };
            var adapters = LoraAdapter.Apply(model, config);
            using (var g = new Generator(1))
            using (torch.no_grad())
                foreach (var a in adapters.Values) a.B.weight.normal_(0, 0.05, g);
            model.eval();
            adapted = Logits(model);
            LoraAdapter.Save(work.File("adapter"), adapters, config);
        }

        var merged = work.File("merged");
        AdapterMerge.Run(source, work.File("adapter"), merged);
        Assert.True(File.Exists(Path.Combine(merged, "model.safetensors")));
        foreach (var name in new[] { "config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json" })
            Assert.True(File.Exists(Path.Combine(merged, name)), name);
        using (var file = SafeTensorsFile.Open(Path.Combine(merged, "model.safetensors")))
        {
            Assert.Contains("model.layers.0.self_attn.q_proj.weight", file.Names);
            Assert.DoesNotContain(file.Names, n => n.Contains("lora", StringComparison.Ordinal) || n.Contains("base_layer", StringComparison.Ordinal));
        }
        using var reloaded = Load(merged);
        Approx.Equal(adapted.Select(v => (double)v).ToArray(), Logits(reloaded).Select(v => (double)v).ToArray(), 1e-4);
        Assert.Throws<IOException>(() => AdapterMerge.Run(source, work.File("adapter"), merged));   // never overwrites
    }
}
