using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatPlatform.Web.Tests;

/// <summary>One structured log event per /v1 and widget request, without message contents unless asked for.</summary>
public sealed class RequestLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string ApiKey = "sk-test-secret-4711";
    private const string Marker = "Quokka";  // a word of the customer's that must not reach the logs

    private static ServingApp App(CapturedLogs logs, bool includeContents = false) =>
        new(WidgetTestSite.Settings(new(WidgetTestSite.SmallModel)
        {
            ["Serving:ApiKeys:0"] = ApiKey,
            ["RequestLogs:IncludeMessageContents"] = includeContents ? "true" : "false",
        }), services => services.AddSingleton<ILoggerProvider>(logs));

    private static string Completion(bool stream) =>
        $$"""{"model":"{{ServingApp.ModelId}}","messages":[{"role":"user","content":"My {{Marker}} hub blinks"}],"max_tokens":8,"stream":{{(stream ? "true" : "false")}}}""";

    private static List<CapturedLogs.Event> RequestEvents(CapturedLogs logs) =>
        logs.Events.Where(e => e.Category.EndsWith(".RequestLogging", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task EachRequestIsOneEventWithItsFiguresAndNoContentsOrKeys()
    {
        var logs = new CapturedLogs();
        using (var app = App(logs))
        {
            await WidgetTestSite.SeedKnowledgeAsync(app.Services);
            var plain = await app.PostCompletionAsync(Completion(stream: false), ApiKey);
            var reply = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(Ct)).RootElement;
            var streamed = await app.PostCompletionAsync(Completion(stream: true), ApiKey);
            await streamed.Content.ReadAsStringAsync(Ct);
            Assert.Equal(401, (int)(await app.PostCompletionAsync(Completion(stream: false), "wrong-key")).StatusCode);
            var http = app.CreateClient();
            var session = await WidgetTestSite.CreateSessionAsync(http);
            var asked = await WidgetTestSite.AskAsync(http, session, $"Is my {Marker} router under warranty?");
            var answer = string.Concat((await WidgetTestSite.EventsAsync(asked)).Where(e => e.Name == "delta").Select(e => e.Data.GetProperty("text").GetString()));

            var events = RequestEvents(logs);
            Assert.Equal(["/v1/chat/completions", "/v1/chat/completions", "/v1/chat/completions", "/api/widget/sessions", "/api/widget/sessions/{sessionId}/messages"],
                events.Select(e => (string)e.Fields["Route"]!));
            var (nonStream, stream, refused, widgetAsk) = (events[0].Fields, events[1].Fields, events[2].Fields, events[4].Fields);

            Assert.Equal(200, nonStream["Status"]);
            Assert.Equal(plain.Headers.GetValues("x-request-id").Single(), nonStream["RequestId"]);
            Assert.Equal(ServingApp.ModelId, nonStream["Model"]);
            Assert.Equal(reply.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), nonStream["PromptTokens"]);
            Assert.Equal(0, nonStream["CachedPromptTokens"]);   // the first request: nothing in the prompt cache yet
            Assert.Equal(reply.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), nonStream["CompletionTokens"]);
            Assert.Equal(reply.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), nonStream["FinishReason"]);
            Assert.StartsWith("key:", (string)nonStream["Client"]!);

            Assert.Equal(200, stream["Status"]);
            Assert.NotNull(stream["TtftMs"]);
            Assert.True((long)stream["TtftMs"]! <= (long)stream["DurationMs"]!);
            Assert.True((int)stream["CompletionTokens"]! > 0);
            Assert.Equal((int)nonStream["PromptTokens"]! - 1, stream["CachedPromptTokens"]);   // the same prompt again: all but its last token
            Assert.Equal(nonStream["Client"], stream["Client"]);

            Assert.Equal(401, refused["Status"]);
            Assert.StartsWith("ip:", (string)refused["Client"]!);

            Assert.Equal(200, widgetAsk["Status"]);
            Assert.StartsWith($"site:{WidgetTestSite.Key} ", (string)widgetAsk["Client"]!);
            Assert.NotNull(widgetAsk["TtftMs"]);
            Assert.True((int)widgetAsk["PromptTokens"]! > 0 && (int)widgetAsk["CompletionTokens"]! > 0);
            Assert.NotNull(widgetAsk["FinishReason"]);
            Assert.False(string.IsNullOrWhiteSpace(answer));
        }
        foreach (var e in logs.Events)
        {
            Assert.DoesNotContain(Marker, e.AllText);
            Assert.DoesNotContain(ApiKey, e.AllText);
            Assert.DoesNotContain("wrong-key", e.AllText);
        }
    }

    [Fact]
    public async Task ContentsAreLoggedOnlyWhenTurnedOn()
    {
        var logs = new CapturedLogs();
        using (var app = App(logs, includeContents: true))
        {
            var response = await app.PostCompletionAsync(Completion(stream: true), ApiKey);
            var text = string.Concat((await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f["data: ".Length..]).Where(d => d != "[DONE]")
                .Select(d => JsonDocument.Parse(d).RootElement.GetProperty("choices"))
                .Where(c => c.GetArrayLength() > 0 && c[0].GetProperty("delta").TryGetProperty("content", out _))
                .Select(c => c[0].GetProperty("delta").GetProperty("content").GetString()));
            var e = Assert.Single(RequestEvents(logs));
            Assert.Contains($"My {Marker} hub blinks", (string)e.Fields["Prompt"]!);
            Assert.Equal(text, e.Fields["Completion"]);
        }
    }
}
