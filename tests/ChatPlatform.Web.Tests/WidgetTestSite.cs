using System.Net.Http.Json;
using System.Text.Json;
using ChatPlatform.Rag.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>The widget site the tests configure, a knowledge document for its answers to cite, and the API as a browser calls it.</summary>
internal static class WidgetTestSite
{
    public const string Key = "site-test";
    public const string AllowedOrigin = "https://shop.example.com";

    /// <summary>For stories260K, whose context is 512 tokens of a 512-word vocabulary: a short system prompt and answer leave room for a source.</summary>
    public static readonly Dictionary<string, string?> SmallModel = new()
    {
        ["Widget:SystemPrompt"] = "Answer from the sources.",
        ["Widget:MaxAnswerTokens"] = "48",
    };

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Widget:Sites:0:Key"] = Key,
            ["Widget:Sites:0:AllowedOrigins:0"] = AllowedOrigin,
            ["Widget:Sites:0:Title"] = "Zephyr help",
            ["Widget:Sites:0:Greeting"] = "Hello from Zephyr support!",
            ["Widget:Sites:0:BrandColor"] = "#aa3300",
            ["Widget:RequestsPerMinutePerIp"] = "0",
            ["Widget:RequestsPerMinutePerKey"] = "0",
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    /// <summary>Indexes a short Markdown document about router warranties into the app's knowledge base.</summary>
    public static async Task SeedKnowledgeAsync(IServiceProvider services)
    {
        var folder = Directory.CreateTempSubdirectory("chatplatform-widget-kb-").FullName;
        var file = Path.Combine(folder, "warranty-terms.md");
        await File.WriteAllTextAsync(file, """
            # Warranty terms

            ## Coverage
            Every Zephyr router carries a warranty of three years from the date of purchase.
            """, TestContext.Current.CancellationToken);
        await services.GetRequiredService<KnowledgeIngestor>().AddFileAsync(file, ct: TestContext.Current.CancellationToken);
    }

    public static string Url(string path) => $"/api/widget{path}?key={Key}";

    public static async Task<string> CreateSessionAsync(HttpClient http)
    {
        var response = await http.PostAsync(Url("/sessions"), null, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("sessionId").GetString()!;
    }

    public static Task<HttpResponseMessage> AskAsync(HttpClient http, string sessionId, string question) =>
        http.PostAsJsonAsync(Url($"/sessions/{sessionId}/messages"), new { content = question }, TestContext.Current.CancellationToken);

    public static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>The server-sent events of a streamed answer, in order: (event name, data as JSON).</summary>
    public static async Task<List<(string Name, JsonElement Data)>> EventsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var events = new List<(string, JsonElement)>();
        foreach (var frame in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            events.Add((name, JsonDocument.Parse(data).RootElement.Clone()));
        }
        return events;
    }
}
