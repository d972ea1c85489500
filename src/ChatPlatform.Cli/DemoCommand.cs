using System.CommandLine;
using ChatPlatform.Core.Demo;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform demo`: loads the shipped demo (knowledge/) into an empty data directory.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var knowledge = new Option<string>("--knowledge")
        {
            Description = "The demo folder (docs/, support-logs/).", DefaultValueFactory = _ => "knowledge",
        };
        var dataDir = DataDirectoryOption.Create();
        var command = new Command("demo", "Load the Penguin Wood demo (support logs, pending examples, product docs) into an empty data directory.")
        {
            knowledge, dataDir,
        };
        command.SetAction(async (pr, ct) =>
        {
            var result = await DemoData.LoadIfEmptyAsync(pr.GetValue(dataDir)!, pr.GetValue(knowledge)!, cancellationToken: ct);
            if (result is null)
            {
                Console.WriteLine($"demo: {pr.GetValue(dataDir)} already holds data; nothing loaded");
                return 0;
            }
            foreach (var import in result.Imports)
                Console.WriteLine($"imported {import.FileName}: {import.Imported} conversations, {import.Duplicates} duplicates, {import.Rejected} rejected");
            Console.WriteLine($"examples: {result.Examples.Created} pending ({result.Examples.Flagged} flagged, {result.Examples.NearDuplicates} near duplicates)");
            var failed = result.Documents.Count(d => d.Error is not null);
            Console.WriteLine($"knowledge: {result.Documents.Count - failed} documents, {result.Documents.Sum(d => d.Chunks)} chunks" +
                              (failed > 0 ? $", {failed} failed" : ""));
            return failed > 0 ? 1 : 0;
        });
        return command;
    }
}
