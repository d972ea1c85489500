using System.CommandLine;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Torch;

namespace ChatPlatform.Cli;

/// <summary>Options shared by the commands that run a model, declared once.</summary>
internal sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model") { Description = "A local Hugging Face model folder.", Required = true };
    public Option<string?> Adapter { get; } = new("--adapter") { Description = "A LoRA adapter folder (PEFT layout) to apply." };
    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
    public Option<int?> MaxNewTokens { get; } = new("--max-new-tokens") { Description = "At most this many new tokens (default: generation_config.json, else 256)." };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0.0 };
    public Option<double?> TopP { get; } = new("--top-p") { Description = "Nucleus sampling threshold." };
    public Option<int?> TopK { get; } = new("--top-k") { Description = "Sample among the k most likely tokens." };
    public Option<double?> MinP { get; } = new("--min-p") { Description = "Drop tokens below this fraction of the top token's probability." };
    public Option<double> RepetitionPenalty { get; } = new("--repetition-penalty") { DefaultValueFactory = _ => 1.0 };
    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed for reproducible sampling." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Adapter, Device, MaxNewTokens, Temperature, TopP, TopK, MinP, RepetitionPenalty, Seed })
            command.Options.Add(option);
    }

    public SamplingOptions Sampling(ParseResult pr) => new()
    {
        Temperature = pr.GetValue(Temperature),
        TopP = pr.GetValue(TopP),
        TopK = pr.GetValue(TopK),
        MinP = pr.GetValue(MinP),
        RepetitionPenalty = pr.GetValue(RepetitionPenalty),
        Seed = pr.GetValue(Seed),
    };

    /// <summary>The sampling options as Microsoft.Extensions.AI ChatOptions, for commands that talk to an IChatClient.</summary>
    public Microsoft.Extensions.AI.ChatOptions ChatOptions(ParseResult pr, int? maxOutputTokens)
    {
        var sampling = Sampling(pr);
        var options = new Microsoft.Extensions.AI.ChatOptions
        {
            Temperature = (float)sampling.Temperature,
            TopP = (float?)sampling.TopP,
            TopK = sampling.TopK,
            Seed = sampling.Seed,
            MaxOutputTokens = maxOutputTokens,
        };
        if (sampling.MinP is { } minP) (options.AdditionalProperties ??= [])["min_p"] = minP;
        if (sampling.RepetitionPenalty != 1.0) (options.AdditionalProperties ??= [])["repetition_penalty"] = sampling.RepetitionPenalty;
        return options;
    }

    public Device DeviceOf(ParseResult pr) => Torch.Device.Parse(pr.GetValue(Device)!);

    public Llm.LocalModel Load(ParseResult pr) =>
        Llm.LocalModel.Load(pr.GetValue(Model)!, DeviceOf(pr), adapter: pr.GetValue(Adapter));
}
