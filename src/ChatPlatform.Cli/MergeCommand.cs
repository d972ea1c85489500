using System.CommandLine;
using ChatPlatform.Llm.Export;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform merge`: base model + LoRA adapter → a full Hugging Face folder loadable by transformers.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The base model folder.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "The LoRA adapter folder (PEFT layout).", Required = true };
        var output = new Option<string>("--out") { Description = "A new folder for the merged model.", Required = true };
        var command = new Command("merge", "Merge a LoRA adapter into its base model and write a standalone Hugging Face folder.")
        {
            model, adapter, output,
        };
        command.SetAction(pr =>
        {
            AdapterMerge.Run(pr.GetValue(model)!, pr.GetValue(adapter)!, pr.GetValue(output)!);
            Console.WriteLine($"merged model written to {Path.GetFullPath(pr.GetValue(output)!)}");
            return 0;
        });
        return command;
    }
}
