using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Health;
using ChatPlatform.Web.OpenAi;
using ChatPlatform.Web.RequestLogs;
using ChatPlatform.Web.Serving;
using ChatPlatform.Web.Widget;

// The full web app: the admin console (/admin) and, when a chat model is configured (Serving:Model), the
// OpenAI-compatible API (/v1). `chatplatform serve` runs the API alone through ServingHost.
var builder = WebApplication.CreateBuilder(args);
var serveApi = !string.IsNullOrWhiteSpace(builder.Configuration[$"{ServingOptions.Section}:{nameof(ServingOptions.Model)}"]);
builder.AddRequestLogs();
builder.AddAdminConsole();
builder.AddAdminJobsAndTraining();
if (serveApi) builder.AddServing();
builder.AddWidget();
builder.AddHealth();

var app = builder.Build();
app.UseRequestLogs();
app.UseAdminConsole();
if (serveApi)
{
    app.UseServing();
    app.MapOpenAiApi();
}
app.MapWidgetApi();
app.MapAdminConsole();
app.MapHealth();
app.Run();
