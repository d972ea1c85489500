using System.CommandLine;
using System.Diagnostics;
using ChatPlatform.Torch;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// `chatplatform bench engine`: the binding's cost over direct libtorch calls. Matmul GFLOPS at n=1024 (binding vs
/// C++), and the median time of a tiny op (1-element add), where per-call overhead dominates.
/// </summary>
internal static class EngineBench
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the figures." };
        var device = new Option<string>("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var size = new Option<int>("--n") { Description = "Matrix size for the matmul figure.", DefaultValueFactory = _ => 1024 };
        var command = new Command("engine", "Binding overhead: matmul GFLOPS and tiny-op latency, through C# and directly in C++.")
        {
            json, device, size,
        };
        command.SetAction(pr => Run(pr.GetValue(json), Device.Parse(pr.GetValue(device)!), pr.GetValue(size)));
        return command;
    }

    private static int Run(bool json, Device device, int n)
    {
        var blas = EngineStartup.CheckBlas();
        using var _ = torch.no_grad();

        // Interleave binding and direct runs so a change in machine load hits both alike; keep each one's best.
        const int reps = 5, iterations = 10;
        double bindingBest = double.MaxValue, directBest = double.MaxValue;
        using (var a = torch.randn([n, n], device: device))
        using (var b = torch.randn([n, n], device: device))
        {
            a.matmul(b).Dispose();
            for (var r = 0; r < reps; r++)
            {
                Progress(json, $"matmul {r + 1}/{reps}");
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < iterations; i++) a.matmul(b).Dispose();
                if (device.Type == DeviceType.CUDA) torch.cuda.synchronize();
                bindingBest = Math.Min(bindingBest, sw.Elapsed.TotalSeconds);
                directBest = Math.Min(directBest, DirectBenchmarks.MatmulSeconds(n, iterations, device));
            }
        }
        var flops = 2.0 * n * n * n * iterations;
        var bindingGflops = flops / bindingBest / 1e9;
        var directGflops = flops / directBest / 1e9;

        const int rounds = 41, perRound = 2000;
        var bindingNs = new double[rounds];
        using (var x = torch.ones([1]))
        using (var y = torch.ones([1]))
        {
            for (var i = 0; i < perRound; i++) (x + y).Dispose();  // warm-up (JIT, allocator)
            Progress(json, "tiny add");
            for (var r = 0; r < rounds; r++)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < perRound; i++)
                {
                    using var z = x + y;
                }
                bindingNs[r] = sw.Elapsed.TotalNanoseconds / perRound;
            }
        }
        var directNs = DirectBenchmarks.TinyAddNanoseconds(rounds, perRound);
        var bindingMedian = Median(bindingNs);
        var directMedian = Median(directNs);
        if (!json) Console.Error.Write("\r                              \r");

        var report = new BenchReport("bench engine")
            .Add("device", "device", device.ToString())
            .Add("libtorch", "libtorch", torch.LibTorchVersion.ToString())
            .Add("blas", "BLAS", blas.Kind)
            .Add("intra_op_threads", "intra-op threads", torch.get_num_threads())
            .Add("matmul_n", "matmul n", n)
            .Add("matmul_gflops_binding", "matmul fp32, binding", bindingGflops, "GFLOPS")
            .Add("matmul_gflops_direct", "matmul fp32, direct C++", directGflops, "GFLOPS")
            .Add("matmul_ratio", "matmul binding / direct", bindingGflops / directGflops, "(target >= 0.9)")
            .Add("tiny_add_ns_binding", "1-element add, binding (median)", bindingMedian, "ns")
            .Add("tiny_add_ns_direct", "1-element add, direct C++ (median)", directMedian, "ns")
            .Add("tiny_add_overhead", "tiny-op binding / direct", bindingMedian / directMedian, "(target <= 2)");
        if (blas.Warning is { } w) report.Note(w);
        report.Print(json);
        return 0;
    }

    /// <summary>Median extra nanoseconds a 1-element add costs through the binding compared with a direct C++ call.</summary>
    public static double BindingOverheadNanoseconds(int rounds = 21, int perRound = 2000)
    {
        var binding = new double[rounds];
        using var x = torch.ones([1]);
        using var y = torch.ones([1]);
        for (var i = 0; i < perRound; i++) (x + y).Dispose();
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++)
            {
                using var z = x + y;
            }
            binding[r] = sw.Elapsed.TotalNanoseconds / perRound;
        }
        return Math.Max(0, Median(binding) - Median(DirectBenchmarks.TinyAddNanoseconds(rounds, perRound)));
    }

    private static void Progress(bool json, string what)
    {
        if (!json) Console.Error.Write($"\r{what}...          ");
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
