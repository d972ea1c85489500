using System.Net;
using System.Text.RegularExpressions;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// The full web app (admin console; no model configured, so no /v1 API) over a temporary data directory of its own,
/// with the first admin from settings unless a test asks for the generated one-time password.
/// </summary>
public sealed partial class AdminApp : WebApplicationFactory<ServedModel>
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "first-admin-password";

    private readonly Dictionary<string, string?> settings;

    private readonly bool ownsDataDirectory;

    /// <param name="dataDirectory">An existing data directory, kept on dispose (a second app instance on the same data: a restart).</param>
    public AdminApp(Dictionary<string, string?>? settings = null, bool configuredAdmin = true, string? dataDirectory = null)
    {
        ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("chatplatform-admin-").FullName;
        this.settings = new() { ["Platform:DataDirectory"] = DataDirectory, ["Admin:Email"] = AdminEmail };
        if (configuredAdmin) this.settings["Admin:Password"] = AdminPassword;
        foreach (var (k, v) in settings ?? []) this.settings[k] = v;
    }

    public string DataDirectory { get; }

    /// <summary>Every log message the app wrote.</summary>
    public List<string> Logs { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new ListLoggerProvider(Logs)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsDataDirectory && Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    public HttpClient Client() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the sign-in form as a browser would: the anti-forgery token from the page, the cookie from the same client.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync("/admin/login", ct);
        var token = AntiforgeryField().Match(page);
        Assert.True(token.Success, "no anti-forgery token on the sign-in page");
        var form = new Dictionary<string, string> { ["email"] = email, ["password"] = password, ["__RequestVerificationToken"] = token.Groups[1].Value };
        if (returnUrl is not null) form["returnUrl"] = returnUrl;
        return await client.PostAsync("/admin/login", new FormUrlEncodedContent(form), ct);
    }

    public static string Token(string page) => AntiforgeryField().Match(page).Groups[1].Value;

    public async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = new PlatformDbContext(Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        return await db.AuditLog.AsNoTracking().OrderBy(a => a.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    public static void AssertRedirect(HttpResponseMessage response, string expectedPathAndQueryStart)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var target = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        Assert.StartsWith(expectedPathAndQueryStart, target);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private sealed class ListLoggerProvider(List<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(sink);
        public void Dispose() { }
    }

    private sealed class ListLogger(List<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (sink) sink.Add(formatter(state, exception));
        }
    }
}
