using System.CommandLine;
using System.Diagnostics;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// `chatplatform bench train`: LoRA (r=16, every linear layer) SFT steps on a 12-layer, 768-hidden Llama with
/// sequences of 256 tokens in batches of 8, through the real trainer. Prints tokens/s, seconds per step, peak resident
/// memory over the base weights, and achieved GFLOPS (model FLOPs per step ÷ time) next to the engine's matmul GFLOPS.
/// </summary>
internal static class TrainBench
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 3, Description = "Measured optimizer steps (after one warm-up step)." };
        var seq = new Option<int>("--seq") { DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 8 };
        var rank = new Option<int>("--rank") { DefaultValueFactory = _ => 16 };
        var noCheckpointing = new Option<bool>("--no-gradient-checkpointing") { Description = "Keep every activation (more memory, less compute)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the figures." };
        var command = new Command("train", "LoRA training throughput, memory and achieved GFLOPS on a 12-layer 768-hidden Llama.")
        {
            steps, seq, batch, rank, noCheckpointing, json,
        };
        command.SetAction(pr => Run(pr.GetValue(steps), pr.GetValue(seq), pr.GetValue(batch), pr.GetValue(rank),
            !pr.GetValue(noCheckpointing), pr.GetValue(json)));
        return command;
    }

    private static int Run(int steps, int seq, int batch, int rank, bool checkpointing, bool json)
    {
        EngineStartup.CheckBlas();
        void Progress(string what)
        {
            if (!json) Console.Error.Write($"\r{what,-50}");
        }

        Progress("writing a synthetic model");
        using var synthetic = new SyntheticModel();
        var config = LlamaConfig.Load(Path.Combine(synthetic.Folder, LlamaConfig.FileName));
        Progress("matmul baseline");
        var matmulGflops = 2.0 * 1024 * 1024 * 1024 * 10 / DirectBenchmarks.MatmulSeconds(1024, 10, Device.CPU) / 1e9;

        GC.Collect();
        var baseline = ProcessMemory.ResidentBytes;
        ProcessMemory.ResetPeak();
        using var model = LlamaForCausalLM.FromFolder(synthetic.Folder, ScalarType.Float32, Device.CPU);
        var baseBytes = model.parameters().Sum(p => p.numel() * 4);
        var baseParams = model.parameters().Sum(p => p.numel());

        var random = new Random(0);
        var examples = Enumerable.Range(0, (steps + 1) * batch).Select(_ =>
        {
            var ids = Enumerable.Range(0, seq).Select(_ => random.Next(3, config.VocabSize)).ToArray();
            return new TokenizedExample(ids, ids, false);   // every token carries loss
        }).ToList();
        var batches = new SftBatcher(examples, new SftBatcherOptions { BatchSize = batch, PadTokenId = 0, Shuffle = false });
        var options = new TrainingOptions
        {
            Lora = new LoraConfig { R = rank, Alpha = 2 * rank, Dropout = 0.05 }, Epochs = 1, BatchSize = batch, LearningRate = 1e-4,
            WarmupRatio = 0, SaveEverySteps = 0, KeepCheckpoints = 1, GradientCheckpointing = checkpointing,
        };
        var output = Path.Combine(synthetic.Folder, "run");
        var trainer = new SftTrainer(model, options, batches, [], output);
        var loraParams = trainer.TrainableParameters.Sum(p => p.Parameter.numel());

        var stepTimes = new List<double>();
        var clock = Stopwatch.StartNew();
        trainer.Run(new StepTimer(p =>
        {
            if (p.Kind != TrainingEventKind.Step) return;
            stepTimes.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            Progress($"step {p.Step}/{steps + 1}, loss {p.Loss:F3}");
        }));
        var peak = ProcessMemory.PeakResidentBytes;
        if (!json) Console.Error.Write("\r" + new string(' ', 52) + "\r");

        var measured = stepTimes.Skip(1).ToList();   // the first step pays one-time allocation costs
        var secondsPerStep = measured.Count > 0 ? measured.Average() : stepTimes[0];
        var tokens = (double)batch * seq;
        // Model FLOPs per step: forward 2·N·tokens over every weight; backward 2·N·tokens for input gradients through the
        // frozen weights plus 4·N_lora·tokens for the adapters' own gradients; attention scores and values 4·L·T²·d
        // forward, twice that backward. Recomputation under activation checkpointing is not counted (it is overhead).
        var attention = 4.0 * config.NumHiddenLayers * batch * seq * (double)seq * config.NumAttentionHeads * config.HeadDim;
        var flops = 4.0 * baseParams * tokens + 6.0 * loraParams * tokens + 3 * attention;
        var gflops = flops / secondsPerStep / 1e9;
        new BenchReport("bench train")
            .Add("model", "model", $"synthetic llama: {config.NumHiddenLayers} layers, hidden {config.HiddenSize}, vocab {config.VocabSize}")
            .Add("base_parameters", "base parameters", baseParams)
            .Add("lora_parameters", "LoRA parameters (r=" + rank + ", all linear)", loraParams)
            .Add("batch", "batch x sequence", $"{batch} x {seq}")
            .Add("gradient_checkpointing", "activation checkpointing", checkpointing)
            .Add("seconds_per_step", "seconds per step", secondsPerStep, "s")
            .Add("tokens_per_second", "training tokens/s", tokens / secondsPerStep, "tokens/s")
            .Add("achieved_gflops", "achieved (model FLOPs / time)", gflops, "GFLOPS")
            .Add("matmul_gflops", "engine matmul fp32 n=1024", matmulGflops, "GFLOPS")
            .Add("fraction_of_matmul", "achieved / matmul", gflops / matmulGflops, "(target >= 0.4)")
            .Add("base_weights_mb", "base weights", baseBytes / 1e6, "MB")
            .Add("peak_rss_mb", "peak resident", peak / 1e6, "MB")
            .Add("peak_over_weights_mb", "peak growth over baseline - weights", (peak - baseline - baseBytes) / 1e6, "MB (target <= 2048)")
            .Print(json);
        return 0;
    }

    private sealed class StepTimer(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
