using System.CommandLine;

namespace ChatPlatform.Cli.Bench;

/// <summary>`chatplatform bench ...`: benchmarks that print a table, or one JSON object with --json.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure speed and memory; prints a table, or one JSON object with --json.");
        bench.Subcommands.Add(EngineBench.Create());
        bench.Subcommands.Add(GenerateBench.Create());
        bench.Subcommands.Add(TrainBench.Create());
        bench.Subcommands.Add(RagBench.Create());
        bench.Subcommands.Add(ImportBench.Create());
        bench.Subcommands.Add(ServeBench.Create());
        return bench;
    }
}
