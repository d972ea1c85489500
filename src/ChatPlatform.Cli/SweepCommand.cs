using System.CommandLine;
using System.Globalization;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Torch;
using ChatPlatform.Training;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform sweep`: trains one LoRA run per combination of learning rate, rank and epochs (a grid, or a seeded
/// random sample of it with --trials) and prints the table of eval results, best first. Each run is an ordinary
/// run folder under --out (adapter, manifest, metrics), so the best one can be used directly.
/// </summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Required = true, Description = "The base model folder." };
        var data = new Option<string>("--data") { Required = true, Description = "Training conversations (JSONL)." };
        var eval = new Option<string?>("--eval") { Description = "Held-out conversations; default: 10% of --data." };
        var output = new Option<string>("--out") { Required = true, Description = "A folder for the runs (one sub-folder each)." };
        var rates = new Option<string>("--learning-rates") { DefaultValueFactory = _ => "1e-4,2e-4,5e-4" };
        var ranks = new Option<string>("--ranks") { DefaultValueFactory = _ => "8,16" };
        var epochs = new Option<string>("--epochs") { DefaultValueFactory = _ => "2" };
        var trials = new Option<int?>("--trials") { Description = "Random search: this many combinations sampled from the grid." };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 4 };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => 1024 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu" };
        var command = new Command("sweep", "Search learning rate, LoRA rank and epochs; print the eval results of every run.")
        {
            model, data, eval, output, rates, ranks, epochs, trials, batchSize, maxLength, seed, device,
        };
        command.SetAction((pr, ct) =>
        {
            EngineStartup.CheckBlas();
            static List<T> Values<T>(string list, Func<string, T> parse) =>
                list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
            var grid = (from lr in Values(pr.GetValue(rates)!, v => double.Parse(v, CultureInfo.InvariantCulture))
                        from r in Values(pr.GetValue(ranks)!, v => int.Parse(v, CultureInfo.InvariantCulture))
                        from e in Values(pr.GetValue(epochs)!, v => int.Parse(v, CultureInfo.InvariantCulture))
                        select (LearningRate: lr, Rank: r, Epochs: e)).ToList();
            if (pr.GetValue(trials) is { } n && n < grid.Count)
            {
                var random = new Random((int)pr.GetValue(seed));
                grid = grid.OrderBy(_ => random.Next()).Take(n).ToList();
            }

            var results = new List<(string Name, double LearningRate, int Rank, int Epochs, double? EvalLoss, double Loss)>();
            foreach (var (lr, rank, ep) in grid)
            {
                if (ct.IsCancellationRequested) break;
                var name = $"lr{lr.ToString("G3", CultureInfo.InvariantCulture)}-r{rank}-e{ep}";
                Console.WriteLine($"== run {results.Count + 1}/{grid.Count}: {name}");
                var options = new TrainingOptions
                {
                    Lora = new LoraConfig { R = rank, Alpha = 2 * rank, BaseModelNameOrPath = Path.GetFullPath(pr.GetValue(model)!) },
                    LearningRate = lr, Epochs = ep, BatchSize = pr.GetValue(batchSize), MaxSequenceLength = pr.GetValue(maxLength),
                    Seed = pr.GetValue(seed),
                };
                var run = new TrainingRun(pr.GetValue(model)!, pr.GetValue(data)!, pr.GetValue(eval), Path.Combine(pr.GetValue(output)!, name),
                    options, device: Device.Parse(pr.GetValue(device)!), generationEvalExamples: 0);
                var result = run.Execute(new ConsoleTrainingProgress(), cancellationToken: ct);
                results.Add((name, lr, rank, ep, result.FinalEvalLoss, result.FinalLoss ?? double.NaN));
            }

            Console.WriteLine();
            Console.WriteLine($"{"run",-24} {"lr",10} {"rank",5} {"epochs",7} {"train loss",11} {"eval loss",10} {"perplexity",11}");
            foreach (var r in results.OrderBy(r => r.EvalLoss ?? double.MaxValue))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Name,-24} {r.LearningRate,10:G3} {r.Rank,5} {r.Epochs,7} {r.Loss,11:F4} {(r.EvalLoss is { } l ? l.ToString("F4", CultureInfo.InvariantCulture) : "n/a"),10} {(r.EvalLoss is { } p ? Math.Exp(p).ToString("F3", CultureInfo.InvariantCulture) : "n/a"),11}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
