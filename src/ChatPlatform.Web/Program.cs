using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Admin.Settings;
using ChatPlatform.Web.Health;
using ChatPlatform.Web.OpenAi;
using ChatPlatform.Web.RequestLogs;
using ChatPlatform.Web.Serving;
using ChatPlatform.Web.Widget;

// The full web app: the admin console (/admin), the widget and the OpenAI-compatible API (/v1), serving the active
// model version (else Serving:Model; with neither, chat answers with retrieved passages and /v1 chat with 503).
// `chatplatform serve` runs the API alone through ServingHost.
var builder = WebApplication.CreateBuilder(args);
builder.AddEditableSettings(); // first: DATA_DIR/settings.json is read by every registration below
builder.AddRequestLogs();
builder.AddAdminConsole();
builder.AddAdminJobsAndTraining();
builder.AddServing();
builder.AddWidget();
builder.AddHealth();

var app = builder.Build();
app.UseRequestLogs();
app.UseAdminConsole();
app.UseServing();
app.MapOpenAiApi();
app.MapWidgetApi();
app.MapAdminConsole();
app.MapHealth();
app.Run();
