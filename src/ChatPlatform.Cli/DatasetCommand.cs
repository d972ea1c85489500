using System.CommandLine;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform dataset snapshot|export|import|stats`: versioned datasets of approved examples.</summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var command = new Command("dataset", "Snapshot, export, import and count SFT datasets.");
        command.Subcommands.Add(Snapshot());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Stats());
        return command;
    }

    static Command Snapshot()
    {
        var dataDir = DataDirectoryOption.Create();
        var name = new Option<string?>("--name") { Description = "A label for the snapshot." };
        var command = new Command("snapshot", "Freeze the approved examples into a new immutable dataset version.") { dataDir, name };
        command.SetAction(async (pr, ct) =>
        {
            var snapshot = await new DatasetService(PlatformDatabase.Initialize(pr.GetValue(dataDir)!))
                .CreateSnapshotAsync(pr.GetValue(name), Environment.UserName, ct);
            Console.WriteLine($"dataset v{snapshot.Version}{(snapshot.Name is null ? "" : $" \"{snapshot.Name}\"")}: {snapshot.ExampleCount} examples, sha256 {snapshot.ContentHash}");
            return 0;
        });
        return command;
    }

    static Option<string> Format() => new Option<string>("--format")
    {
        Description = "openai ({\"messages\"}), sharegpt ({\"conversations\"}) or alpaca (instruction/input/output).",
        Required = true,
    }.AcceptOnlyFromAmong("openai", "sharegpt", "alpaca");

    static Command Export()
    {
        var dataDir = DataDirectoryOption.Create();
        var format = Format();
        var output = new Option<string>("--out") { Description = "The JSONL file to write.", Required = true };
        var snapshot = new Option<int?>("--snapshot") { Description = "Dataset version N; without it, the approved examples as they are now." };
        var command = new Command("export", "Write a dataset as JSONL.") { dataDir, format, output, snapshot };
        command.SetAction(async (pr, ct) =>
        {
            var lines = await new DatasetService(PlatformDatabase.Initialize(pr.GetValue(dataDir)!)).ExportAsync(
                DatasetFormats.Parse(pr.GetValue(format)!), pr.GetValue(output)!, pr.GetValue(snapshot), Environment.UserName, ct);
            Console.WriteLine($"wrote {lines} examples to {Path.GetFullPath(pr.GetValue(output)!)}");
            return 0;
        });
        return command;
    }

    static Command Import()
    {
        var dataDir = DataDirectoryOption.Create();
        var file = new Argument<string>("FILE") { Description = "A JSONL file, one example per line." };
        var format = Format();
        var approve = new Option<bool>("--approve") { Description = "Import as approved instead of pending review." };
        var command = new Command("import", "Import examples from JSONL (origin manual).") { dataDir, file, format, approve };
        command.SetAction(async (pr, ct) =>
        {
            var result = await new DatasetService(PlatformDatabase.Initialize(pr.GetValue(dataDir)!)).ImportAsync(
                pr.GetValue(file)!, DatasetFormats.Parse(pr.GetValue(format)!), pr.GetValue(approve), Environment.UserName, cancellationToken: ct);
            Console.WriteLine($"imported {result.Imported} of {result.Lines} examples ({result.ExactDuplicates} exact duplicates skipped), {(pr.GetValue(approve) ? "approved" : "pending review")}");
            return 0;
        });
        return command;
    }

    static Command Stats()
    {
        var dataDir = DataDirectoryOption.Create();
        var command = new Command("stats", "Examples by status, origin and flag; near-duplicate clusters; snapshots.") { dataDir };
        command.SetAction(async (pr, ct) =>
        {
            var options = PlatformDatabase.Initialize(pr.GetValue(dataDir)!);
            var s = await new ReviewService(options).StatisticsAsync(ct);
            Console.WriteLine($"examples: {s.Total}");
            Console.WriteLine($"status:   {Join(s.ByStatus)}");
            Console.WriteLine($"origin:   {Join(s.ByOrigin)}");
            Console.WriteLine($"flags:    {(s.ByFlag.Count == 0 ? "none" : Join(s.ByFlag))}");
            Console.WriteLine($"clusters: {s.Clusters} near-duplicate clusters holding {s.ClusteredExamples} examples (largest {s.LargestCluster})");
            foreach (var snapshot in await new DatasetService(options).ListSnapshotsAsync(ct))
                Console.WriteLine($"dataset v{snapshot.Version}: {snapshot.ExampleCount} examples, {snapshot.CreatedAt:yyyy-MM-dd HH:mm} by {snapshot.CreatedBy}, sha256 {snapshot.ContentHash[..12]}…{(snapshot.Name is null ? "" : $" \"{snapshot.Name}\"")}");
            return 0;
        });
        return command;
    }

    static string Join(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));
}
