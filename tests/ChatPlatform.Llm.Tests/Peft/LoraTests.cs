using System.Text.Json;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Llm.Tests.Models;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Peft;

public sealed class LoraTests : IDisposable
{
    private readonly DisposeScope scope = torch.NewDisposeScope();

    public void Dispose() => scope.Dispose();

    private static readonly long[] Tokens = [1, 7, 19, 33, 2, 60, 4];

    private static double[] Logits(torch.nn.Module model)
    {
        using var _ = torch.no_grad();
        var m = (ChatPlatform.Llm.Models.Llama.LlamaForCausalLM)model;
        return Approx.Values(m.forward(torch.tensor(Tokens, [1, Tokens.Length]), torch.arange(Tokens.Length).unsqueeze(0)));
    }

    /// <summary>Stands in for training: gives every adapter a non-zero B.</summary>
    private static void Perturb(IReadOnlyDictionary<string, LoraLinear> adapters, long seed)
    {
        using var g = new Generator(seed);
        using var _ = torch.no_grad();
        foreach (var a in adapters.Values) a.B.weight.normal_(0, 0.1, g);
    }

    [Fact]
    public void AFreshAdapterIsExactlyTheBaseModel()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 1);
        using var model = TinyLlama.Build(config, weights);
        var before = Logits(model);
        var adapters = LoraAdapter.Apply(model, new LoraConfig { R = 4, Alpha = 8 });
        Assert.Equal(14, adapters.Count);   // 7 linear layers × 2 decoder layers
        Assert.Equal(before, Logits(model));  // bit for bit: B = 0
        Assert.All(model.named_parameters().Where(p => p.parameter.requires_grad), p => Assert.Contains(".lora_", p.name));
        Assert.Contains(model.named_parameters(), p => p.name == "model.layers.0.self_attn.q_proj.base_layer.weight" && !p.parameter.requires_grad);
    }

    [Fact]
    public void MergedWeightsGiveTheSameLogitsAsBasePlusAdapterAndUnmergeRestores()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 2);
        using var model = TinyLlama.Build(config, weights);
        var q = model.named_parameters().First(p => p.name == "model.layers.1.self_attn.q_proj.weight").parameter.data<double>();
        var baseLogits = Logits(model);
        var adapters = LoraAdapter.Apply(model, new LoraConfig { R = 4, Alpha = 16, TargetModules = ["q_proj", "v_proj", "down_proj"] });
        Perturb(adapters, 3);
        var adapted = Logits(model);
        Assert.True(adapted.Zip(baseLogits).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the adapter changed nothing");
        LoraAdapter.MergeAll(adapters);
        Approx.Equal(adapted, Logits(model), 1e-4);
        foreach (var a in adapters.Values) a.Unmerge();
        Approx.Equal(q, adapters["model.layers.1.self_attn.q_proj"].Base.weight.data<double>(), 1e-12);
    }

    [Fact]
    public void MergeRefusesNonFiniteAdapters()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 2);
        using var model = TinyLlama.Build(config, weights);
        var adapters = LoraAdapter.Apply(model, new LoraConfig { R = 2, TargetModules = ["q_proj"] });
        adapters["model.layers.0.self_attn.q_proj"].B.weight.detach().fill_(double.NaN);
        Assert.Throws<InvalidOperationException>(() => adapters["model.layers.0.self_attn.q_proj"].Merge());
    }

    [Fact]
    public void SavedAdapterLoadsIntoAFreshModelWithTheSameOutput()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 4);
        using var model = TinyLlama.Build(config, weights);
        var loraConfig = new LoraConfig { R = 8, Alpha = 16, Dropout = 0.1, UseRsLora = true, BaseModelNameOrPath = "tiny" };
        var adapters = LoraAdapter.Apply(model, loraConfig);
        Perturb(adapters, 5);
        model.eval();
        var expected = Logits(model);
        using var folder = new TempFolder();
        LoraAdapter.Save(folder.Path, adapters, loraConfig);

        var saved = JsonDocument.Parse(File.ReadAllText(folder.File(LoraAdapter.ConfigFile))).RootElement;
        Assert.Equal("LORA", saved.GetProperty("peft_type").GetString());
        Assert.Equal("CAUSAL_LM", saved.GetProperty("task_type").GetString());
        Assert.Equal(8, saved.GetProperty("r").GetInt32());
        using (var file = SafeTensorsFile.Open(folder.File(LoraAdapter.WeightsFile)))
            Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", file.Names);

        using var fresh = TinyLlama.Build(config, weights);
        var loaded = LoraAdapter.Load(fresh, folder.Path);
        Assert.Equal(loraConfig.Scaling, loaded.Values.First().Config.Scaling);
        fresh.eval();
        Approx.Equal(expected, Logits(fresh), 1e-12);
    }

    [Fact]
    public void AHandWrittenPeftAdapterLoadsAndActsAsBPlusA()
    {
        // An adapter as PEFT writes it (keys with the ".default" adapter name, as some PEFT versions do), built by hand.
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 6);
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("adapter_config.json"), """
            {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 2, "lora_alpha": 4, "lora_dropout": 0.0,
             "target_modules": ["v_proj"], "bias": "none", "fan_in_fan_out": false, "base_model_name_or_path": "tiny"}
            """);
        using var g = new Generator(7);
        var tensors = new List<(string, Tensor)>();
        for (var layer = 0; layer < 2; layer++)
        {
            tensors.Add(($"base_model.model.model.layers.{layer}.self_attn.v_proj.lora_A.default.weight", torch.randn([2, 32], ScalarType.Float32, generator: g)));
            tensors.Add(($"base_model.model.model.layers.{layer}.self_attn.v_proj.lora_B.default.weight", torch.randn([16, 2], ScalarType.Float32, generator: g)));
        }
        SafeTensorsWriter.Write(folder.File("adapter_model.safetensors"), tensors);

        // Independent expectation: the base weights with s·B·A added by hand (s = 4/2), no LoRA code involved.
        using (var _ = torch.no_grad())
            for (var layer = 0; layer < 2; layer++)
            {
                var a = tensors[layer * 2].Item2.to(ScalarType.Float64);
                var b = tensors[layer * 2 + 1].Item2.to(ScalarType.Float64);
                weights.Tensors[$"model.layers.{layer}.self_attn.v_proj.weight"].add_(b.matmul(a) * 2.0);
            }
        using var handMerged = TinyLlama.Build(config, weights);
        var expected = Logits(handMerged);
        using (var _ = torch.no_grad())
            for (var layer = 0; layer < 2; layer++)
            {
                var a = tensors[layer * 2].Item2.to(ScalarType.Float64);
                var b = tensors[layer * 2 + 1].Item2.to(ScalarType.Float64);
                weights.Tensors[$"model.layers.{layer}.self_attn.v_proj.weight"].add_(b.matmul(a) * -2.0);
            }

        using var model = TinyLlama.Build(config, weights);
        LoraAdapter.Load(model, folder.Path);
        model.eval();
        Approx.Equal(expected, Logits(model), 1e-9);
    }

    [Fact]
    public void BadAdapterFoldersAreClearErrors()
    {
        var config = TinyLlama.Config();
        using var weights = TinyLlama.RandomWeights(config, seed: 6);
        using var model = TinyLlama.Build(config, weights);
        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => LoraAdapter.Load(model, folder.Path));
        File.WriteAllText(folder.File("adapter_config.json"), """{"peft_type": "PREFIX_TUNING"}""");
        var ex = Assert.Throws<InvalidDataException>(() => LoraAdapter.ReadConfig(folder.Path));
        Assert.Contains("peft_type 'PREFIX_TUNING' is not supported", ex.Message);
        File.WriteAllText(folder.File("adapter_config.json"), """{"peft_type": "LORA", "r": 0, "target_modules": ["q_proj"]}""");
        Assert.Contains("rank", Assert.Throws<InvalidDataException>(() => LoraAdapter.ReadConfig(folder.Path)).Message);
    }
}
