using ChatPlatform.Llm.ChatTemplates;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Torch;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Llm;

/// <summary>
/// A base model loaded from a local Hugging Face folder: config.json, *.safetensors (single or sharded),
/// tokenizer.json, tokenizer_config.json (chat template) and generation_config.json (defaults).
/// </summary>
public sealed class LocalModel : IDisposable
{
    private LocalModel(string directory, LlamaConfig config, GenerationConfig generation, HfTokenizer tokenizer,
        ChatTemplate template, string? templateWarning, LlamaForCausalLM model)
    {
        Directory = directory;
        Config = config;
        Generation = generation;
        Tokenizer = tokenizer;
        Template = template;
        TemplateWarning = templateWarning;
        Model = model;
        var stops = new HashSet<int>();
        stops.UnionWith(generation.EosTokenIds);
        if (generation.EosTokenIds.Count == 0) stops.UnionWith(config.EosTokenIds);
        if (tokenizer.EosTokenId is { } e) stops.Add(e);
        StopTokenIds = stops;
    }

    public string Directory { get; }
    /// <summary>The LoRA adapter folder merged into the weights, if any.</summary>
    public string? Adapter { get; private init; }
    public string Name => Path.GetFileName(Directory.TrimEnd('/'));
    public LlamaConfig Config { get; }
    public GenerationConfig Generation { get; }
    public HfTokenizer Tokenizer { get; }
    public ChatTemplate Template { get; }
    /// <summary>Set when the model has no chat template and ChatML is used instead.</summary>
    public string? TemplateWarning { get; }
    public LlamaForCausalLM Model { get; }
    /// <summary>Ids that end a reply: generation_config's eos ids plus the tokenizer's eos token.</summary>
    public IReadOnlySet<int> StopTokenIds { get; }
    /// <summary>Tokens a prompt plus its reply may use (the context minus any prompt-tuning virtual tokens).</summary>
    public int ContextLength => Model.ContextLength;

    public int DefaultMaxNewTokens => Generation.MaxNewTokens ?? 512;

    /// <summary>
    /// Loads a model folder onto a device; dtype defaults to float32 on the CPU and bfloat16 on CUDA. An adapter folder
    /// (PEFT layout: LoRA, prompt or prefix tuning) is applied; LoRA is merged into the weights, so the adapted model
    /// decodes as fast as the base.
    /// </summary>
    public static LocalModel Load(string directory, Device? device = null, ScalarType? dtype = null, string? adapter = null)
    {
        if (!System.IO.Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder '{directory}' does not exist");
        var d = device ?? Device.CPU;
        var type = dtype ?? (d.Type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);
        var generation = GenerationConfig.LoadFromFolder(directory);
        var tokenizer = HfTokenizer.FromDirectory(directory);
        var (template, _) = ChatTemplateLoader.FromModelFolder(directory, out var warning);
        var model = LlamaForCausalLM.FromFolder(directory, type, d);
        if (adapter is not null) Peft.PeftAdapter.Load(model, adapter);
        return new LocalModel(directory, model.Config, generation, tokenizer, template, warning, model) { Adapter = adapter };
    }

    /// <summary>The prompt text for a conversation, by the model's own chat template (special tokens included).</summary>
    public string RenderChat(IEnumerable<ChatTemplates.ChatMessage> messages, bool addGenerationPrompt) =>
        Template.Render(messages.ToList(), addGenerationPrompt);

    /// <summary>Sampling settings: the request's, else generation_config.json's, else greedy.</summary>
    public SamplingOptions SamplingFor(ChatOptions? options)
    {
        var g = Generation;
        double? Extra(string key) => options?.AdditionalProperties?.TryGetValue(key, out var v) == true ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;
        var sampleByDefault = g.DoSample == true;
        var temperature = options?.Temperature ?? (sampleByDefault ? g.Temperature ?? 1.0 : 0.0);
        return new SamplingOptions
        {
            Temperature = temperature,
            TopP = options?.TopP ?? (sampleByDefault ? g.TopP : null),
            TopK = options?.TopK ?? (sampleByDefault ? g.TopK : null),
            MinP = Extra("min_p") ?? (sampleByDefault ? g.MinP : null),
            RepetitionPenalty = Extra("repetition_penalty") ?? g.RepetitionPenalty ?? 1.0,
            Seed = options?.Seed,
        };
    }

    public void Dispose() => Model.Dispose();
}
