using System.CommandLine;
using ChatPlatform.Cli;
using ChatPlatform.Cli.Bench;

var root = new RootCommand("ChatPlatform: support chatbots on a local, domain-adapted language model.");
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
