using System.Text.Json;
using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Embeddings;

/// <summary>
/// A sentence-transformers model folder's pipeline: <c>modules.json</c> (Transformer → Pooling → optional Normalize),
/// the pooling config, <c>sentence_bert_config.json</c> (max_seq_length) and <c>config_sentence_transformers.json</c>
/// (prompts such as e5's "query: " / "passage: " or bge's query instruction). A plain transformers folder (no
/// modules.json) gets what sentence-transformers gives it: mean pooling, no normalisation.
/// </summary>
public sealed record SentenceTransformerConfig
{
    public const string ModulesFileName = "modules.json";
    public const string SentenceBertConfigFileName = "sentence_bert_config.json";
    public const string PromptsFileName = "config_sentence_transformers.json";

    private const string TransformerType = "sentence_transformers.models.Transformer";
    private const string PoolingType = "sentence_transformers.models.Pooling";
    private const string NormalizeType = "sentence_transformers.models.Normalize";

    /// <summary>The folder holding the transformer (config.json, weights, tokenizer.json): the model folder itself for
    /// current models, a subfolder such as 0_Transformer for old ones.</summary>
    public required string TransformerFolder { get; init; }
    public required PoolingConfig Pooling { get; init; }
    public bool Normalize { get; init; }
    /// <summary>sentence_bert_config.json's max_seq_length; null when absent (the model's position limit applies).</summary>
    public int? MaxSeqLength { get; init; }
    /// <summary>Prompt name → text prepended to the input (config_sentence_transformers.json "prompts").</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>();
    /// <summary>The prompt used when a request names none (config_sentence_transformers.json "default_prompt_name").</summary>
    public string? DefaultPromptName { get; init; }

    public static SentenceTransformerConfig Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"model folder '{folder}' does not exist");
        var modulesPath = Path.Combine(folder, ModulesFileName);
        var transformerFolder = folder;
        var pooling = PoolingConfig.MeanPooling;
        var normalize = false;
        if (File.Exists(modulesPath))
        {
            var (transformer, poolingPath, hasNormalize) = ReadModules(folder, modulesPath);
            transformerFolder = transformer;
            if (poolingPath is not null) pooling = PoolingConfig.Load(Path.Combine(poolingPath, PoolingConfig.FileName));
            normalize = hasNormalize;
        }
        var (prompts, defaultPrompt) = ReadPrompts(Path.Combine(folder, PromptsFileName));
        return new SentenceTransformerConfig
        {
            TransformerFolder = transformerFolder,
            Pooling = pooling,
            Normalize = normalize,
            MaxSeqLength = ReadMaxSeqLength(Path.Combine(transformerFolder, SentenceBertConfigFileName)),
            Prompts = prompts,
            DefaultPromptName = defaultPrompt,
        };
    }

    private static (string transformer, string? pooling, bool normalize) ReadModules(string folder, string path)
    {
        using var doc = ParseJson(path);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: expected a JSON array of modules");
        string? transformer = null, pooling = null;
        var normalize = false;
        var index = 0;
        foreach (var module in doc.RootElement.EnumerateArray())
        {
            string Field(string name) =>
                module.ValueKind == JsonValueKind.Object && module.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString()!
                    : throw new InvalidDataException($"{path}: module [{index}]: '{name}' is missing or not a string");
            var type = Field("type");
            var modulePath = Path.Combine(folder, Field("path"));
            switch (type)
            {
                case TransformerType when transformer is null && pooling is null:
                    transformer = modulePath;
                    break;
                case PoolingType when transformer is not null && pooling is null:
                    pooling = modulePath;
                    break;
                case NormalizeType when pooling is not null:
                    normalize = true;
                    break;
                case TransformerType or PoolingType or NormalizeType:
                    throw new InvalidDataException($"{path}: module [{index}] ({type}) is out of order (supported: Transformer, Pooling, Normalize)");
                default:
                    throw new InvalidDataException(
                        $"{path}: module [{index}] type '{type}' is not supported (supported: Transformer, Pooling, Normalize)");
            }
            index++;
        }
        return (transformer ?? throw new InvalidDataException($"{path}: no {TransformerType} module"), pooling, normalize);
    }

    private static int? ReadMaxSeqLength(string path)
    {
        if (!File.Exists(path)) return null;
        return JsonFields.Parse(File.ReadAllText(path), path, j =>
        {
            var value = j.Int("max_seq_length");
            if (value is <= 0) throw j.Error("max_seq_length", $"must be positive, not {value}");
            return value;
        });
    }

    private static (IReadOnlyDictionary<string, string>, string?) ReadPrompts(string path)
    {
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return (prompts, null);
        using var doc = ParseJson(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object");
        if (root.TryGetProperty("prompts", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: prompts must be an object of strings");
            foreach (var entry in p.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{path}: prompts.{entry.Name} must be a string");
                prompts[entry.Name] = entry.Value.GetString()!;
            }
        }
        string? defaultName = null;
        if (root.TryGetProperty("default_prompt_name", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            if (d.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{path}: default_prompt_name must be a string");
            defaultName = d.GetString()!;
            if (!prompts.ContainsKey(defaultName))
                throw new InvalidDataException($"{path}: default_prompt_name '{defaultName}' is not one of the prompts");
        }
        return (prompts, defaultName);
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
    }
}
