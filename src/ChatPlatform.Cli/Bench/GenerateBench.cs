using System.CommandLine;
using System.Diagnostics;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// `chatplatform bench generate`: prefill and decode throughput (batch 1 and 8), time to first token, peak memory
/// against the weights + KV cache, the engine's ops per decoded token and the time spent outside matrix products,
/// and batch-1 decode time against the memory-bandwidth bound (weight bytes ÷ measured bandwidth).
/// </summary>
internal static class GenerateBench
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "A Hugging Face model folder (config.json + *.safetensors)." };
        var synthetic = new Option<bool>("--synthetic") { Description = "Use a random ~110M-parameter Llama written to a temp folder." };
        var promptTokens = new Option<int>("--prompt-tokens") { DefaultValueFactory = _ => 128, Description = "Prompt length." };
        var newTokens = new Option<int>("--new-tokens") { DefaultValueFactory = _ => 64, Description = "Tokens decoded per measurement." };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu", Description = "cpu or cuda" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the figures." };
        var modular = new Option<bool>("--modular") { Description = "Decode op by op (turn off the fused float32 CPU decode path), for comparison." };
        var command = new Command("generate", "Prefill/decode speed, time to first token and peak memory of a model.")
        {
            model, synthetic, promptTokens, newTokens, device, json, modular,
        };
        command.SetAction(pr =>
        {
            var folder = pr.GetValue(model);
            if (folder is null && !pr.GetValue(synthetic))
            {
                Console.Error.WriteLine("bench generate: give --model DIR or --synthetic");
                return 2;
            }
            using var temp = folder is null ? new SyntheticModel() : null;
            return Run(folder ?? temp!.Folder, pr.GetValue(promptTokens), pr.GetValue(newTokens), Device.Parse(pr.GetValue(device)!),
                pr.GetValue(json), synthetic: temp is not null, fused: !pr.GetValue(modular));
        });
        return command;
    }

    private static int Run(string folder, int promptTokens, int newTokens, Device device, bool json, bool synthetic, bool fused)
    {
        EngineStartup.CheckBlas();
        void Progress(string what)
        {
            if (!json) Console.Error.Write($"\r{what,-40}");
        }

        Progress("loading");
        WarmUpEngine(device);
        GC.Collect();
        var baseline = ProcessMemory.ResidentBytes;
        ProcessMemory.ResetPeak();
        var loadClock = Stopwatch.StartNew();
        var dtype = device.Type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32;
        using var model = LlamaForCausalLM.FromFolder(folder, dtype, device);
        model.Model.FusedDecoding = fused;
        var config = model.Config;
        var loadSeconds = loadClock.Elapsed.TotalSeconds;
        var peakAfterLoad = ProcessMemory.PeakResidentBytes;
        var weightBytes = model.parameters().Sum(p => p.numel() * p.dtype.ElementSize());
        var parameterCount = model.parameters().Sum(p => p.numel());

        promptTokens = Math.Min(promptTokens, config.MaxPositionEmbeddings - newTokens);
        var random = new Random(1);
        int[] Prompt() => Enumerable.Range(0, promptTokens).Select(_ => random.Next(3, config.VocabSize)).ToArray();
        var noStops = new HashSet<int>();

        // Warm-up (allocator, JIT), then batch 1: prefill, then decode with op counting and matmul timing.
        using (var warm = new GenerationSession(model, new GenerationRequest([Prompt()], 4, SamplingOptions.Greedy, noStops)))
            while (!warm.IsDone) warm.Step();

        Progress("batch 1");
        ProcessMemory.ResetPeak();
        // Three batch-1 runs; the figures are the median run's (this machine's neighbours make single runs noisy).
        var runs = new List<(double Prefill, double Decode, double Ops, double OutsideMs)>();
        for (var run = 0; run < 3; run++)
        {
            using var session = new GenerationSession(model, new GenerationRequest([Prompt()], newTokens + 1, SamplingOptions.Greedy, noStops));
            var clock = Stopwatch.StartNew();
            session.Step();
            var prefill = clock.Elapsed.TotalSeconds;
            OpStatistics.Reset();
            OpStatistics.Timing = true;
            clock.Restart();
            for (var i = 0; i < newTokens; i++) session.Step();
            var decode = clock.Elapsed.TotalSeconds;
            OpStatistics.Timing = false;
            runs.Add((prefill, decode, (double)OpStatistics.TensorsCreated / newTokens,
                (decode - OpStatistics.MatmulTime.TotalSeconds) * 1000 / newTokens));
        }
        var median = runs.OrderBy(r => r.Decode).ElementAt(1);
        var (prefillSeconds, decode1Seconds, opsPerToken, outsideMatmulMs) = median;
        prefillSeconds = runs.Select(r => r.Prefill).Order().ElementAt(1);
        var kvBytes1 = KvBytes(config, 1, promptTokens + newTokens + 1, dtype);
        var peakGeneration = ProcessMemory.PeakResidentBytes;

        Progress("batch 8");
        double decode8Seconds;
        using (var session = new GenerationSession(model, new GenerationRequest(
                   Enumerable.Range(0, 8).Select(_ => Prompt()).ToList(), newTokens + 1, SamplingOptions.Greedy, noStops)))
        {
            session.Step();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < newTokens; i++) session.Step();
            decode8Seconds = clock.Elapsed.TotalSeconds;
        }

        Progress("binding overhead");
        var bindingNsPerOp = EngineBench.BindingOverheadNanoseconds();

        Progress("memory bandwidth");
        var bandwidth = MeasureReadBandwidth(device);
        if (!json) Console.Error.Write("\r" + new string(' ', 42) + "\r");

        var decodeMsPerToken = decode1Seconds * 1000 / newTokens;
        var boundMs = weightBytes / bandwidth * 1000;
        var peakOverBaseline = Math.Max(peakAfterLoad, peakGeneration) - baseline;
        new BenchReport("bench generate")
            .Add("model", "model", synthetic ? "synthetic llama (random weights)" : folder)
            .Add("parameters", "parameters", parameterCount)
            .Add("dtype", "dtype / device", $"{dtype} / {device}")
            .Add("decode_path", "decode path", fused && FusedDecode.Supports(dtype, device) ? "fused (one engine call per layer)" : "modular (op by op)")
            .Add("load_seconds", "load time", loadSeconds, "s")
            .Add("prompt_tokens", "prompt tokens", promptTokens)
            .Add("prefill_tokens_per_second", "prefill (batch 1)", promptTokens / prefillSeconds, "tokens/s")
            .Add("time_to_first_token_ms", "time to first token", prefillSeconds * 1000, "ms")
            .Add("decode_tokens_per_second_batch1", "decode, batch 1", newTokens / decode1Seconds, "tokens/s")
            .Add("decode_tokens_per_second_batch8", "decode, batch 8", 8 * newTokens / decode8Seconds, "tokens/s")
            .Add("ops_per_token", "engine ops per decoded token", opsPerToken)
            .Add("ms_outside_matmul_per_token", "time outside matrix products", outsideMatmulMs, $"ms/token of {decodeMsPerToken:F2}")
            .Add("binding_ms_per_token", "of which the C# binding (ops x overhead)", opsPerToken * bindingNsPerOp / 1e6, $"ms/token ({bindingNsPerOp:F0} ns/op over direct C++)")
            .Add("weights_mb", "weights", weightBytes / 1e6, "MB")
            .Add("kv_cache_mb", "KV cache (batch 1)", kvBytes1 / 1e6, "MB")
            .Add("baseline_rss_mb", "resident before loading (runtime, libtorch, BLAS buffers)", baseline / 1e6, "MB")
            .Add("peak_load_rss_mb", "peak resident while loading", peakAfterLoad / 1e6, "MB")
            .Add("peak_generate_rss_mb", "peak resident generating (batch 1)", peakGeneration / 1e6, "MB")
            .Add("peak_over_weights_plus_kv", "peak growth / (weights + KV)", peakOverBaseline / (double)(weightBytes + kvBytes1), "(target <= 1.3)")
            .Add("memory_bandwidth_gb_s", "memory read bandwidth", bandwidth / 1e9, "GB/s")
            .Add("decode_ms_bound", "bandwidth bound (weights / bandwidth)", boundMs, "ms/token")
            .Add("decode_over_bound", "batch-1 decode / bound", decodeMsPerToken / boundMs, "(target <= 1.5 for ~100M fp32)")
            .Print(json);
        return 0;
    }

    /// <summary>
    /// Runs matrix products of every shape class first, so the BLAS library's per-thread work buffers (a fixed cost
    /// of tens of MB, whatever the model) are part of the baseline rather than charged to the model's memory.
    /// </summary>
    private static void WarmUpEngine(Device device)
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.randn([2048, 768], device: device);
        foreach (var rows in new[] { 1, 8, 128, 512 })
            torch.nn.functional.linear(torch.randn([rows, 768], device: device), w).sum().ToDouble();
    }

    private static long KvBytes(LlamaConfig c, long batch, long length, ScalarType dtype) =>
        2L * c.NumHiddenLayers * batch * c.NumKeyValueHeads * length * c.HeadDim * dtype.ElementSize();

    /// <summary>Bytes per second a reduction streams through (best of 5 sums over 256 MB): what decode is bound by.</summary>
    private static double MeasureReadBandwidth(Device device)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([64L << 20], ScalarType.Float32, device);
        x.sum().Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            x.sum().ToDouble();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return (64L << 20) * 4 / best;
    }
}
