using System.Net;
using System.Net.Http.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Widget;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>The full app with no chat model configured or activated (a first run): passages instead of answers, OpenAI-shaped refusals.</summary>
public sealed class NoModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheWidgetAnswersWithTheBestPassagesTheirSourcesAndANotice()
    {
        await using var app = new AdminApp(WidgetTestSite.Settings());
        await WidgetTestSite.SeedKnowledgeAsync(app.Services);
        var http = app.CreateClient();
        var session = await WidgetTestSite.CreateSessionAsync(http);

        var response = await WidgetTestSite.AskAsync(http, session, "How long is the Zephyr router warranty?");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await WidgetTestSite.EventsAsync(response);
        Assert.Equal(["delta", "done"], events.Select(e => e.Name));
        var text = events[0].Data.GetProperty("text").GetString()!;
        Assert.StartsWith(PassagesAnswer.Notice, text);
        Assert.Contains("[1] Warranty terms > Coverage", text);
        Assert.Contains("warranty of three years", text);
        var source = Assert.Single(events[1].Data.GetProperty("sources").EnumerateArray());
        Assert.Equal(1, source.GetProperty("number").GetInt32());
        Assert.Equal("Warranty terms", source.GetProperty("title").GetString());

        // stored like any answer, so the conversation survives a reload and can be voted on
        var history = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(WidgetTestSite.Url($"/sessions/{session}/messages"), Ct);
        Assert.Equal(text, history.GetProperty("messages")[1].GetProperty("content").GetString());

        var nothing = await WidgetTestSite.EventsAsync(await WidgetTestSite.AskAsync(http, session, "qwxzv"));
        Assert.Equal(PassagesAnswer.NothingFound, nothing[0].Data.GetProperty("text").GetString());
    }

    [Fact]
    public async Task ChatCompletionsAnswer503AndModelsListEveryRegisteredVersion()
    {
        await using var app = new AdminApp();
        var http = app.CreateClient();
        var refused = await ErrorBody.ReadAsync(await http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"anything","messages":[{"role":"user","content":"Hi"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct));
        Assert.Equal(503, refused.Status);
        Assert.Equal("server_error", refused.Type);
        Assert.Equal("model_not_loaded", refused.Code);
        Assert.Contains("Models page", refused.Message);

        var empty = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/models", Ct);
        Assert.Equal(0, empty.GetProperty("data").GetArrayLength());

        await using (var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>()))
        {
            db.ModelVersions.AddRange(
                new ModelVersion { Name = "base-run1", BaseModelPath = "/models/base", AdapterPath = "/runs/1", CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) },
                new ModelVersion { Name = "base-run2", BaseModelPath = "/models/base", AdapterPath = "/runs/2", CreatedAt = DateTimeOffset.UtcNow, IsActive = true });
            await db.SaveChangesAsync(Ct);
        }
        var models = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/models", Ct);
        var data = models.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["base-run2", "base-run1"], data.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(1_700_000_000, data[1].GetProperty("created").GetInt64());
        Assert.All(data, m => Assert.Equal("model", m.GetProperty("object").GetString()));
        var one = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/models/base-run1", Ct);
        Assert.Equal("base-run1", one.GetProperty("id").GetString());
    }
}
