using System.CommandLine;
using System.Globalization;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;
using ChatPlatform.Training;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform train`: supervised fine-tuning from JSONL conversations. Prints a progress bar on stderr and one log
/// line per step on stdout (with loss=), writes checkpoints, metrics.jsonl, manifest.json and (LoRA) the PEFT adapter.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The base model folder.", Required = true };
        var data = new Option<string>("--data") { Description = "Training conversations (JSONL: OpenAI messages, ShareGPT or Alpaca).", Required = true };
        var eval = new Option<string?>("--eval") { Description = "Held-out conversations; default: 10% of --data, split by seed." };
        var output = new Option<string>("--out") { Description = "The run folder (adapter, checkpoints, metrics, manifest).", Required = true };
        var method = new Option<string>("--method") { DefaultValueFactory = _ => "lora", Description = "lora, full, freeze (top layers), prompt or prefix." };
        var virtualTokens = new Option<int>("--virtual-tokens") { DefaultValueFactory = _ => 20, Description = "With --method prompt or prefix." };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 3 };
        var lr = new Option<double>("--learning-rate") { DefaultValueFactory = _ => 2e-4 };
        var loraR = new Option<int>("--lora-r") { DefaultValueFactory = _ => 16 };
        var loraAlpha = new Option<double>("--lora-alpha") { DefaultValueFactory = _ => 32 };
        var loraDropout = new Option<double>("--lora-dropout") { DefaultValueFactory = _ => 0.05 };
        var targets = new Option<string>("--target-modules") { DefaultValueFactory = _ => string.Join(',', LoraConfig.AllLinear) };
        var rsLora = new Option<bool>("--rslora") { Description = "Scale adapters by alpha/√r (rank-stabilised LoRA)." };
        var topLayers = new Option<int>("--train-top-layers") { DefaultValueFactory = _ => 2, Description = "With --method freeze." };
        var unfreeze = new Option<int>("--unfreeze-every") { DefaultValueFactory = _ => 0, Description = "With --method freeze: one more layer every N epochs." };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => 4 };
        var accumulation = new Option<int>("--gradient-accumulation") { DefaultValueFactory = _ => 1 };
        var maxLength = new Option<int>("--max-length") { DefaultValueFactory = _ => 1024 };
        var warmup = new Option<double>("--warmup-ratio") { DefaultValueFactory = _ => 0.03 };
        var schedule = new Option<string>("--schedule") { DefaultValueFactory = _ => "cosine", Description = "cosine, linear or constant." };
        var weightDecay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 0.0 };
        var evalEvery = new Option<int>("--eval-every") { DefaultValueFactory = _ => 0, Description = "Evaluate every N steps (0: each epoch)." };
        var saveEvery = new Option<int>("--save-every") { DefaultValueFactory = _ => 0, Description = "Checkpoint every N steps (0: each epoch)." };
        var patience = new Option<int>("--early-stopping-patience") { DefaultValueFactory = _ => 0 };
        var packing = new Option<bool>("--packing") { Description = "Pack several examples per row (block-diagonal attention)." };
        var groupByLength = new Option<bool>("--group-by-length") { Description = "Batch examples of similar length." };
        var checkpointing = new Option<bool>("--gradient-checkpointing") { Description = "Recompute activations in backward: less memory." };
        var precision = new Option<string>("--mixed-precision")
        {
            DefaultValueFactory = _ => "auto", Description = "auto (bfloat16 autocast on CUDA, float32 on the CPU), off or bfloat16.",
        };
        precision.AcceptOnlyFromAmong("auto", "off", "bfloat16");
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 42 };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Skip (and count) bad JSONL lines instead of stopping." };
        var resume = new Option<string?>("--resume") { Description = "Continue a run from its latest checkpoint (a run folder or a checkpoint)." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu" };
        var command = new Command("train", "Fine-tune a local model on conversations (LoRA by default).")
        {
            model, data, eval, output, method, virtualTokens, epochs, lr, loraR, loraAlpha, loraDropout, targets, rsLora, topLayers, unfreeze, batchSize, accumulation,
            maxLength, warmup, schedule, weightDecay, evalEvery, saveEvery, patience, packing, groupByLength, checkpointing, precision, seed, skipInvalid,
            resume, device,
        };
        command.SetAction((pr, ct) =>
        {
            EngineStartup.CheckBlas();
            var modelDir = pr.GetValue(model)!;
            var options = new TrainingOptions
            {
                Method = Enum.Parse<TrainingMethod>(pr.GetValue(method)!, ignoreCase: true),
                Lora = new LoraConfig
                {
                    R = pr.GetValue(loraR), Alpha = pr.GetValue(loraAlpha), Dropout = pr.GetValue(loraDropout),
                    TargetModules = pr.GetValue(targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    UseRsLora = pr.GetValue(rsLora), BaseModelNameOrPath = Path.GetFullPath(modelDir),
                },
                TrainTopLayers = pr.GetValue(topLayers), UnfreezeEveryEpochs = pr.GetValue(unfreeze), VirtualTokens = pr.GetValue(virtualTokens), Epochs = pr.GetValue(epochs), LearningRate = pr.GetValue(lr),
                WarmupRatio = pr.GetValue(warmup), Schedule = Enum.Parse<ScheduleKind>(pr.GetValue(schedule)!, ignoreCase: true),
                BatchSize = pr.GetValue(batchSize), GradientAccumulationSteps = pr.GetValue(accumulation), WeightDecay = pr.GetValue(weightDecay),
                MaxSequenceLength = pr.GetValue(maxLength), Seed = pr.GetValue(seed), EvalEverySteps = pr.GetValue(evalEvery),
                SaveEverySteps = pr.GetValue(saveEvery), EarlyStoppingPatience = pr.GetValue(patience),
                GradientCheckpointing = pr.GetValue(checkpointing),
                MixedPrecision = Enum.Parse<MixedPrecision>(pr.GetValue(precision)!, ignoreCase: true),
            };
            var run = new TrainingRun(modelDir, pr.GetValue(data)!, pr.GetValue(eval), pr.GetValue(output)!, options,
                pr.GetValue(packing), pr.GetValue(groupByLength), pr.GetValue(skipInvalid), Device.Parse(pr.GetValue(device)!));
            var result = run.Execute(new ConsoleTrainingProgress(), pr.GetValue(resume), ct);
            Console.WriteLine(result.Cancelled
                ? $"cancelled at step {result.Steps}; resume with --resume {result.OutputDirectory}"
                : $"done: {result.Steps} steps, loss={Format(result.FinalLoss)}, eval_loss={Format(result.FinalEvalLoss)}; output in {result.OutputDirectory}");
            return Task.FromResult(result.Cancelled ? 130 : 0);
        });
        return command;
    }

    private static string Format(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "n/a";
}
