using System.CommandLine;
using System.Globalization;
using ChatPlatform.Torch;
using ChatPlatform.Training.Pretraining;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform pretrain`: a new small model from scratch on raw text, written as a Hugging Face folder.</summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer") { Required = true, Description = "A folder with the tokenizer.json (and tokenizer_config.json) to use." };
        var data = new Option<string>("--data") { Required = true, Description = "UTF-8 text; documents separated by blank lines." };
        var output = new Option<string>("--out") { Required = true, Description = "The run folder; the model is written to <out>/model." };
        var preset = new Option<string>("--preset") { DefaultValueFactory = _ => "nano", Description = $"Model size: {string.Join(", ", ModelPresets.All.Keys)}." };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 1 };
        var lr = new Option<double>("--learning-rate") { DefaultValueFactory = _ => 1e-3 };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8 };
        var length = new Option<int>("--max-length") { DefaultValueFactory = _ => 256, Description = "Tokens per training block." };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var resume = new Option<string?>("--resume") { Description = "Continue from the run folder's latest checkpoint." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu" };
        var command = new Command("pretrain", "Train a new small Llama from scratch on raw text (loss on every token).")
        {
            tokenizer, data, output, preset, epochs, lr, batchSize, length, seed, resume, device,
        };
        command.SetAction((pr, ct) =>
        {
            EngineStartup.CheckBlas();
            var options = new TrainingOptions
            {
                Method = TrainingMethod.Full, Epochs = pr.GetValue(epochs), LearningRate = pr.GetValue(lr), BatchSize = pr.GetValue(batchSize),
                MaxSequenceLength = pr.GetValue(length), Seed = pr.GetValue(seed), WarmupRatio = 0.05, WeightDecay = 0.1, AdamBeta2 = 0.95,
            };
            var run = new PretrainingRun(pr.GetValue(tokenizer)!, pr.GetValue(data)!, pr.GetValue(output)!, pr.GetValue(preset)!, options,
                Device.Parse(pr.GetValue(device)!));
            var result = run.Execute(new ConsoleTrainingProgress(), pr.GetValue(resume), ct);
            Console.WriteLine(result.Cancelled
                ? $"cancelled at step {result.Steps}; resume with --resume {result.OutputDirectory}"
                : $"done: {result.Steps} steps, loss={result.FinalLoss?.ToString("F4", CultureInfo.InvariantCulture)}; model in {Path.Combine(result.OutputDirectory, "model")}");
            return Task.FromResult(result.Cancelled ? 130 : 0);
        });
        return command;
    }
}
