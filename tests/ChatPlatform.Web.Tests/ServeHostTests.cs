using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatPlatform.Web.Serving;

namespace ChatPlatform.Web.Tests;

/// <summary>`chatplatform serve`'s host: the API, the widget (script and API) and retrieval over the data directory's knowledge base.</summary>
public sealed class ServeHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_has_the_widget_script_and_api_and_the_retrieval_model_name()
    {
        var model = SharedModels.Folder(SharedModels.Stories260K);
        var data = Directory.CreateTempSubdirectory("chatplatform-serve-").FullName;
        await using var app = ServingHost.Build(new ServingOptions { Model = model }, "http://127.0.0.1:0", new Dictionary<string, string?>
        {
            ["Platform:DataDirectory"] = data,
            ["Widget:Sites:0:Key"] = "site-1",
            ["Widget:Sites:0:AllowedOrigins:0"] = "https://shop.example",
        });
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var script = await http.GetAsync("/widget.js", Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-site-key", await script.Content.ReadAsStringAsync(Ct));
        var again = new HttpRequestMessage(HttpMethod.Get, "/widget.js");
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again, Ct)).StatusCode);

        var session = new HttpRequestMessage(HttpMethod.Post, "/api/widget/sessions?key=site-1");
        session.Headers.Add("Origin", "https://shop.example");
        Assert.True((await http.SendAsync(session, Ct)).IsSuccessStatusCode);  // conversations go to the data directory's database

        var models = await http.GetFromJsonAsync<JsonElement>("/v1/models", Ct);
        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("stories260K-hf+rag", ids);
        await app.StopAsync(Ct);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}
