using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ChatPlatform.Web.Tests;

/// <summary>The web app in memory, serving the real stories260K checkpoint, configured as its settings say.</summary>
public sealed class ServingApp : WebApplicationFactory<ServedModel>
{
    public const string ModelId = SharedModels.Stories260K;
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("chatplatform-serving-").FullName;

    public ServingApp(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        this.settings = new Dictionary<string, string?>
        {
            ["Serving:Model"] = SharedModels.Folder(SharedModels.Stories260K),
            ["Serving:RequestsPerMinute"] = "0",
            // The full app also runs the admin console, whose database belongs in a directory of its own.
            ["Platform:DataDirectory"] = dataDirectory,
        };
        foreach (var (k, v) in settings ?? []) this.settings[k] = v;
        this.services = services;
    }

    public static string TinyBert => TestPaths.TestSource("Models/Bert/reference/tiny-bert");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
    }

    public OpenAIClientOptions SdkOptions() => new()
    {
        Endpoint = new Uri(Server.BaseAddress, "/v1"),
        Transport = new HttpClientPipelineTransport(CreateClient()),
    };

    public ChatClient Chat(string key = "no-key") => new(ModelId, new ApiKeyCredential(key), SdkOptions());

    public EmbeddingClient Embeddings(string model) => new(model, new ApiKeyCredential("no-key"), SdkOptions());

    public HttpClient Http(string? key = null)
    {
        var http = CreateClient();
        if (key is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return http;
    }

    /// <summary>POSTs a raw JSON body to /v1/chat/completions.</summary>
    public async Task<HttpResponseMessage> PostCompletionAsync(string json, string? key = null) =>
        await Http(key).PostAsync("/v1/chat/completions", new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
}

/// <summary>An OpenAI error body as the tests read it.</summary>
internal sealed record ErrorBody(int Status, string? Message, string? Type, string? Param, string? Code)
{
    public static async Task<ErrorBody> ReadAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var error = doc.RootElement.GetProperty("error");
        // OpenAI always sends all four fields, null when they do not apply
        Assert.True(error.TryGetProperty("param", out var param), "no param field");
        Assert.True(error.TryGetProperty("code", out var code), "no code field");
        return new ErrorBody((int)response.StatusCode, error.GetProperty("message").GetString(), error.GetProperty("type").GetString(),
            param.ValueKind == JsonValueKind.Null ? null : param.GetString(), code.ValueKind == JsonValueKind.Null ? null : code.GetString());
    }
}
