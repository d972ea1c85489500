using System.CommandLine;
using ChatPlatform.Web;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.Hosting;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform serve`: the OpenAI-compatible API (/v1/chat/completions, /v1/models, /v1/embeddings) over one loaded
/// model, without the admin console, as llama-server runs. Settings not given here come from the Serving section of
/// appsettings.json and environment variables (Serving__RequestsPerMinute=60).
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The chat model's Hugging Face folder.", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT adapter folder to apply." };
        var modelName = new Option<string?>("--model-name") { Description = "The model id clients send (default: the folder's name)." };
        var urls = new Option<string?>("--urls") { Description = "Where to listen, e.g. http://0.0.0.0:8080 (default: ASPNETCORE_URLS, else http://localhost:5000)." };
        var apiKey = new Option<string[]>("--api-key") { Description = "A bearer key clients must send (repeat for several; none = open API)." };
        var embedding = new Option<string?>("--embedding-model") { Description = "A sentence-embedding model folder; enables /v1/embeddings." };
        var device = new Option<string?>("--device") { Description = "cpu, cuda or cuda:N (default: Serving:Device, else cpu)." };
        var command = new Command("serve", "Serve the OpenAI-compatible API over a local model.")
        {
            model, adapter, modelName, urls, apiKey, embedding, device,
        };
        command.SetAction(async (pr, ct) =>
        {
            EngineStartup.CheckBlas();
            var options = new ServingOptions
            {
                Model = pr.GetValue(model),
                Adapter = pr.GetValue(adapter),
                ModelName = pr.GetValue(modelName),
                EmbeddingModel = pr.GetValue(embedding),
                Device = pr.GetValue(device),
                ApiKeys = pr.GetValue(apiKey) ?? [],
            };
            await using var app = ServingHost.Build(options, pr.GetValue(urls));
            await app.StartAsync(ct);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
