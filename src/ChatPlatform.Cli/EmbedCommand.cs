using System.CommandLine;
using System.Text.Json;
using ChatPlatform.Llm.Embeddings;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform embed`: sentence embeddings from a local BERT-family model folder (sentence-transformers layout or a
/// plain BERT folder). One JSON array of floats per --text, one line each; --query / --passage apply the model's prompts.
/// </summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A sentence-transformers or BERT model folder.", Required = true };
        var text = new Option<string[]>("--text") { Description = "Text to embed (repeat for several).", Required = true, AllowMultipleArgumentsPerToken = false };
        var query = new Option<bool>("--query") { Description = "The texts are search queries (the model's \"query\" prompt)." };
        var passage = new Option<bool>("--passage") { Description = "The texts are passages to search (the model's \"passage\" prompt)." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var command = new Command("embed", "Print sentence embeddings of texts as JSON arrays, one line per text.")
        {
            model, text, query, passage, device,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(query) && r.GetValue(passage)) r.AddError("give at most one of --query or --passage");
        });
        command.SetAction(async (pr, ct) =>
        {
            using var generator = LocalEmbeddingGenerator.Load(pr.GetValue(model)!,
                new LocalEmbeddingOptions { Device = Torch.Device.Parse(pr.GetValue(device)!) });
            var options = pr.GetValue(query) ? LocalEmbeddingGenerator.ForQueries()
                : pr.GetValue(passage) ? LocalEmbeddingGenerator.ForPassages()
                : null;
            var embeddings = await generator.GenerateAsync(pr.GetValue(text)!, options, ct);
            foreach (var e in embeddings) Console.WriteLine(JsonSerializer.Serialize(e.Vector.ToArray()));
            return 0;
        });
        return command;
    }
}
