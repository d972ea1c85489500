using ChatPlatform.Web.Health;
using ChatPlatform.Web.Knowledge;
using ChatPlatform.Web.Widget;
using ChatPlatform.Web.OpenAi;
using ChatPlatform.Web.RequestLogs;
using ChatPlatform.Web.Serving;

namespace ChatPlatform.Web;

/// <summary>
/// The public API and the widget without the admin console, for `chatplatform serve`, as llama-server runs it. Configuration comes from
/// appsettings.json beside the program and environment variables (Serving__ApiKeys__0=...); the options given here win.
/// </summary>
public static class ServingHost
{
    /// <param name="settings">further configuration keys ("Serving:MaxQueueLength") that win over files and the environment.</param>
    public static WebApplication Build(ServingOptions options, string? urls = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(ToConfiguration(options));
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        if (urls is not null) builder.WebHost.UseUrls(urls);
        builder.AddRequestLogs();
        builder.AddServing(requireModel: true);
        builder.AddKnowledge();  // the data directory's knowledge base (Platform:DataDirectory): the widget and MODEL+rag
        builder.AddWidget();
        builder.AddHealth();
        var app = builder.Build();
        app.UseRequestLogs();
        app.UseServing();
        app.MapOpenAiApi();
        app.MapWidgetApi();
        app.MapHealth();
        return app;
    }

    /// <summary>Only the values set, so settings from files and the environment stay in force for the rest.</summary>
    private static Dictionary<string, string?> ToConfiguration(ServingOptions o)
    {
        var s = ServingOptions.Section;
        var values = new Dictionary<string, string?>();
        void Set(string key, string? value)
        {
            if (value is not null) values[$"{s}:{key}"] = value;
        }
        Set(nameof(o.Model), o.Model);
        Set(nameof(o.ModelName), o.ModelName);
        Set(nameof(o.Adapter), o.Adapter);
        Set(nameof(o.EmbeddingModel), o.EmbeddingModel);
        Set(nameof(o.Device), o.Device);
        for (var i = 0; i < o.ApiKeys.Length; i++) Set($"{nameof(o.ApiKeys)}:{i}", o.ApiKeys[i]);
        return values;
    }
}
