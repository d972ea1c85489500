using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Admin.Settings;
using ChatPlatform.Web.Admin.Training;
using ChatPlatform.Web.Components.Pages.Admin;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Tests.Admin;

/// <summary>Settings edited in the console: DATA_DIR/settings.json, validated, audited, live where the reader is, secrets never shown.</summary>
public sealed class SettingsEditingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ModelFolder(AdminApp app, string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(app.DataDirectory, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        return folder;
    }

    [Fact]
    public async Task SavedBaseModelIsWrittenToTheDataDirectoryAppliesLiveAndIsAudited()
    {
        using var app = new AdminApp();
        var editor = app.Services.GetRequiredService<SettingsEditor>();
        var retrain = app.Services.GetRequiredService<RetrainService>();
        Assert.Null(retrain.BaseModel);
        var model = ModelFolder(app, "base");

        var errors = await editor.SaveAsync(new Dictionary<string, string?> { ["Platform:BaseModel"] = model, ["Threads:Training"] = "1" }, "admin@example.com", Ct);

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(app.DataDirectory, SettingsFile.FileName), editor.FilePath);
        Assert.Contains(model.Replace("\\", "\\\\"), File.ReadAllText(editor.FilePath));
        Assert.Equal(model, retrain.BaseModel);
        Assert.Equal(model, app.Services.GetRequiredService<IOptionsMonitor<PlatformOptions>>().CurrentValue.BaseModel);
        var view = editor.Describe().Single(v => v.Setting.Key == "Platform:BaseModel");
        Assert.Equal((model, model, "settings.json (edited here)", null), (view.EffectiveValue, view.StoredValue, view.Source, view.OverriddenBy));
        var audit = (await app.AuditAsync()).Single(a => a.Action == "settings.change");
        Assert.Contains(model.Replace("\\", "\\\\"), audit.DetailsJson);

        // Blank removes the saved value: the setting falls back to the default.
        Assert.Empty(await editor.SaveAsync(new Dictionary<string, string?> { ["Platform:BaseModel"] = null }, "admin@example.com", Ct));
        Assert.Null(retrain.BaseModel);
        Assert.DoesNotContain("Platform", File.ReadAllText(editor.FilePath));
    }

    [Theory]
    [InlineData("Rag:VectorStore", "pinecone", "Rag:VectorStore")]
    [InlineData("Serving:Device", "tpu", "Serving:Device")]
    [InlineData("Widget:Sites:0:AllowedOrigins", "https://ok.example\nnot an origin", "Widget:Sites:0:AllowedOrigins:1")]
    [InlineData("Admin:LoginAttemptsPerMinute", "0", "Admin:LoginAttemptsPerMinute")]
    [InlineData("Serving:RequestsPerMinute", "many", "Serving:RequestsPerMinute")]
    [InlineData("Platform:BaseModel", "/no/such/model", "Platform:BaseModel")]
    [InlineData("Teacher:BaseUrl", "localhost:11434", "Teacher:BaseUrl")]
    public async Task ABadValueIsRefusedNamingTheFieldAndNothingIsSaved(string key, string value, string named)
    {
        using var app = new AdminApp();
        var editor = app.Services.GetRequiredService<SettingsEditor>();
        var errors = await editor.SaveAsync(new Dictionary<string, string?> { [key] = value, ["Threads:Training"] = "1" }, "admin@example.com", Ct);
        Assert.Contains(errors, e => e.StartsWith(named + ":", StringComparison.Ordinal));
        Assert.False(File.Exists(editor.FilePath));
        Assert.DoesNotContain(await app.AuditAsync(), a => a.Action == "settings.change");
    }

    [Fact]
    public async Task QdrantNeedsItsUrlAndTheApiKeyIsWriteOnly()
    {
        using var app = new AdminApp();
        var editor = app.Services.GetRequiredService<SettingsEditor>();
        var missingUrl = await editor.SaveAsync(new Dictionary<string, string?> { ["Rag:VectorStore"] = "qdrant" }, "admin", Ct);
        Assert.Contains(missingUrl, e => e.StartsWith("Rag:Qdrant:Url", StringComparison.Ordinal));

        const string secret = "qdrant-secret-value-123";
        Assert.Empty(await editor.SaveAsync(new Dictionary<string, string?>
        {
            ["Rag:VectorStore"] = "qdrant", ["Rag:Qdrant:Url"] = "http://localhost:6333", ["Rag:Qdrant:ApiKey"] = secret,
        }, "admin", Ct));
        var view = editor.Describe().Single(v => v.Setting.Key == "Rag:Qdrant:ApiKey");
        Assert.True(view.IsSet);
        Assert.Null(view.EffectiveValue);
        Assert.Equal("", view.StoredValue);
        Assert.Equal("qdrant", editor.Describe().Single(v => v.Setting.Key == "Rag:VectorStore").EffectiveValue);
        Assert.DoesNotContain(secret, (await app.AuditAsync()).Single(a => a.Action == "settings.change").DetailsJson);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(editor.FilePath));

        var html = await ComponentRender.HtmlAsync<Settings>(app.Services);
        Assert.DoesNotContain(secret, html);
        Assert.Contains("set (hidden)", html);
        Assert.Contains("after restart", html);
    }

    [Fact]
    public async Task AnEnvironmentVariableOverridesTheSavedValueAndThePageSaysSo()
    {
        // Teacher:Model is read by nothing at start-up, so the variable cannot disturb apps of other tests running beside this one.
        Environment.SetEnvironmentVariable("Teacher__Model", "from-environment");
        try
        {
            using var app = new AdminApp();
            var editor = app.Services.GetRequiredService<SettingsEditor>();
            Assert.Empty(await editor.SaveAsync(new Dictionary<string, string?>
            {
                ["Teacher:BaseUrl"] = "http://localhost:11434/v1", ["Teacher:Model"] = "edited-model",
            }, "admin", Ct));
            var view = editor.Describe().Single(v => v.Setting.Key == "Teacher:Model");
            Assert.Equal(("from-environment", "edited-model", "environment variable Teacher__Model"), (view.EffectiveValue, view.StoredValue, view.OverriddenBy));
            var url = editor.Describe().Single(v => v.Setting.Key == "Teacher:BaseUrl");
            Assert.Equal(("http://localhost:11434/v1", null), (url.EffectiveValue, url.OverriddenBy));

            var html = await ComponentRender.HtmlAsync<Settings>(app.Services);
            Assert.Contains("overridden by environment variable Teacher__Model", html);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Teacher__Model", null);
        }
    }

    [Fact]
    public async Task SavedSettingsAreReadAtTheNextStart()
    {
        var data = Directory.CreateTempSubdirectory("chatplatform-settings-").FullName;
        try
        {
            string model;
            using (var first = new AdminApp(dataDirectory: data))
            {
                model = ModelFolder(first, "base");
                Assert.Empty(await first.Services.GetRequiredService<SettingsEditor>().SaveAsync(new Dictionary<string, string?>
                {
                    ["Platform:BaseModel"] = model, ["Widget:Sites:0:Key"] = "site", ["Widget:Sites:0:AllowedOrigins"] = "https://a.example\nhttps://b.example",
                }, "admin", Ct));
            }
            using var second = new AdminApp(dataDirectory: data);
            Assert.Equal(model, second.Services.GetRequiredService<RetrainService>().BaseModel);
            var origins = second.Services.GetRequiredService<IOptions<ChatPlatform.Web.Widget.WidgetOptions>>().Value.Sites.Single().AllowedOrigins;
            Assert.Equal(["https://a.example", "https://b.example"], origins);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
