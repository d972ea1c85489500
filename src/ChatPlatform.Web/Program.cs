using ChatPlatform.Web.OpenAi;
using ChatPlatform.Web.Serving;

// The web host: the OpenAI-compatible API over the configured model ("Serving" section, environment variables).
var builder = WebApplication.CreateBuilder(args);
builder.AddServing();

var app = builder.Build();
app.UseServing();
app.MapOpenAiApi();
app.Run();
