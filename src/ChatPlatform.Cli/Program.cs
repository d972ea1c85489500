using System.CommandLine;
using ChatPlatform.Cli;
using ChatPlatform.Cli.Bench;

var root = new RootCommand("ChatPlatform: support chatbots on a local, domain-adapted language model.");
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(SweepCommand.Create());
root.Subcommands.Add(PretrainCommand.Create());
root.Subcommands.Add(KnowledgeCommand.Create());
root.Subcommands.Add(AskCommand.Create());
root.Subcommands.Add(RagCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(LogsCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ExamplesCommand.Create());
root.Subcommands.Add(DatasetCommand.Create());
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or InvalidOperationException
                              or ChatPlatform.Torch.TorchException or ChatPlatform.Llm.ChatTemplates.ChatTemplateException
                              or ChatPlatform.Training.Data.SftDataException
                              or ChatPlatform.Rag.Qdrant.QdrantException
                              or UnauthorizedAccessException
                              or Microsoft.Extensions.Options.OptionsValidationException)
{
    // Bad input (a file, a field, an id) is the user's to fix: one clear line, no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
