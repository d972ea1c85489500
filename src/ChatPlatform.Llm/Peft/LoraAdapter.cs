using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Peft;

/// <summary>
/// Puts LoRA adapters into a model, and reads and writes them in PEFT's layout (adapter_config.json +
/// adapter_model.safetensors with keys "base_model.model.&lt;module path&gt;.lora_A.weight"), so Hugging Face PEFT and
/// vLLM load our adapters and we load theirs.
/// </summary>
public static class LoraAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string KeyPrefix = "base_model.model.";

    /// <summary>
    /// Wraps every linear layer whose name is in the config's target modules; returns the wrapped layers by path
    /// (e.g. "model.layers.0.self_attn.q_proj"). Base weights are frozen and shared, never copied.
    /// </summary>
    public static IReadOnlyDictionary<string, LoraLinear> Apply(torch.nn.Module model, LoraConfig config, Generator? generator = null)
    {
        config.Validate();
        foreach (var p in model.parameters()) p.requires_grad = false;
        var wrapped = new Dictionary<string, LoraLinear>(StringComparer.Ordinal);
        var targets = config.TargetModules.ToHashSet(StringComparer.Ordinal);
        foreach (var (path, parent) in model.named_modules().ToList())
        {
            foreach (var name in targets)
            {
                if (parent.get_module(name) is not torch.nn.Linear linear) continue;
                var lora = new LoraLinear(linear, config, generator);
                lora.train(parent.training);  // a model in eval mode must not start applying adapter dropout
                parent.replace_module(name, lora);
                wrapped[$"{path}.{name}"] = lora;
            }
        }
        if (wrapped.Count == 0)
            throw new ArgumentException($"no linear layer matches target_modules [{string.Join(", ", config.TargetModules)}]");
        return wrapped;
    }

    /// <summary>Writes the adapter folder atomically enough: weights then config, each via a temp file and rename.</summary>
    public static void Save(string folder, IReadOnlyDictionary<string, LoraLinear> adapters, LoraConfig config)
    {
        Directory.CreateDirectory(folder);
        var tensors = adapters.OrderBy(a => a.Key, StringComparer.Ordinal).SelectMany(a => new[]
        {
            ($"{KeyPrefix}{a.Key}.lora_A.weight", a.Value.A.weight),
            ($"{KeyPrefix}{a.Key}.lora_B.weight", a.Value.B.weight),
        });
        SafeTensorsWriter.Write(Path.Combine(folder, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var json = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["r"] = config.R,
            ["lora_alpha"] = config.Alpha,
            ["lora_dropout"] = config.Dropout,
            ["target_modules"] = new JsonArray(config.TargetModules.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            ["use_rslora"] = config.UseRsLora,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["modules_to_save"] = null,
            ["base_model_name_or_path"] = config.BaseModelNameOrPath,
        };
        IO.AtomicFile.WriteAllText(Path.Combine(folder, ConfigFile), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads adapter_config.json; anything but a LoRA adapter for a causal LM is a clear error.</summary>
    public static LoraConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: an adapter folder needs {ConfigFile} and {WeightsFile}", path);
        JsonNode root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})");
        }
        string Field(string name) => $"{path}: {name}";
        var type = root["peft_type"]?.GetValue<string>();
        if (type != "LORA") throw new InvalidDataException($"{Field("peft_type")} '{type}' is not supported (only LORA)");
        if (root["fan_in_fan_out"]?.GetValue<bool>() == true) throw new InvalidDataException($"{Field("fan_in_fan_out")} true is for GPT-2-style Conv1D layers, not supported");
        if (root["bias"]?.GetValue<string>() is { } bias && bias != "none") throw new InvalidDataException($"{Field("bias")} '{bias}' is not supported (only none)");
        var targets = root["target_modules"] switch
        {
            JsonArray a => a.Select(x => x!.GetValue<string>()).ToList(),
            JsonValue v when v.GetValue<string>() == "all-linear" => LoraConfig.AllLinear.ToList(),
            JsonValue v => [v.GetValue<string>()],
            _ => throw new InvalidDataException($"{Field("target_modules")} is missing"),
        };
        var config = new LoraConfig
        {
            R = root["r"]?.GetValue<int>() ?? throw new InvalidDataException($"{Field("r")} is missing"),
            Alpha = root["lora_alpha"]?.GetValue<double>() ?? 8,
            Dropout = root["lora_dropout"]?.GetValue<double>() ?? 0,
            TargetModules = targets,
            UseRsLora = root["use_rslora"]?.GetValue<bool>() ?? false,
            BaseModelNameOrPath = root["base_model_name_or_path"]?.GetValue<string>(),
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
        return config;
    }

    /// <summary>Applies the adapter in <paramref name="folder"/> to the model and loads its weights.</summary>
    public static IReadOnlyDictionary<string, LoraLinear> Load(torch.nn.Module model, string folder)
    {
        var config = ReadConfig(folder);
        var adapters = Apply(model, config);
        var weightsPath = Path.Combine(folder, WeightsFile);
        using var file = SafeTensorsFile.Open(weightsPath);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var seen = 0;
        foreach (var name in file.Names)
        {
            // PEFT writes "<prefix><path>.lora_A.weight"; some versions keep the adapter name (".lora_A.default.weight").
            var key = name.Replace(".default.weight", ".weight", StringComparison.Ordinal);
            if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || !(key.EndsWith(".lora_A.weight", StringComparison.Ordinal) || key.EndsWith(".lora_B.weight", StringComparison.Ordinal)))
                throw new InvalidDataException($"{weightsPath}: tensor '{name}' is not a LoRA weight this loader understands");
            var isA = key.EndsWith(".lora_A.weight", StringComparison.Ordinal);
            var path = key[KeyPrefix.Length..^(".lora_A.weight".Length)];
            if (!adapters.TryGetValue(path, out var lora))
                throw new InvalidDataException($"{weightsPath}: tensor '{name}' is for '{path}', which the model has no target layer for");
            var target = isA ? lora.A.weight : lora.B.weight;
            var info = file.Info(name);
            if (!info.ShapeArray().SequenceEqual(target.shape))
                throw new InvalidDataException($"{weightsPath}: tensor '{name}' has shape [{string.Join(", ", info.ShapeArray())}], the model needs [{string.Join(", ", target.shape)}]");
            target.copy_(file.Load(name, target.dtype, target.device));
            seen++;
        }
        if (seen != adapters.Count * 2)
            throw new InvalidDataException($"{weightsPath}: holds {seen} LoRA tensors, the config's target modules need {adapters.Count * 2}");
        return adapters;
    }

    /// <summary>Merges every adapter into its base weights (W ← W + s·B·A).</summary>
    public static void MergeAll(IReadOnlyDictionary<string, LoraLinear> adapters)
    {
        foreach (var a in adapters.Values) a.Merge();
    }
}
