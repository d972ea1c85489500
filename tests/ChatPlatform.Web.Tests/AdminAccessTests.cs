using System.Net;
using System.Text.RegularExpressions;
using ChatPlatform.Core.Domain;
using ChatPlatform.Web.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>Who may reach the admin console, as a browser sees it: redirects, cookies, anti-forgery, roles, audit.</summary>
public sealed class AdminAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/review")]
    [InlineData("/admin/knowledge")]
    [InlineData("/admin/settings")]
    public async Task AdminPagesRedirectAnonymousVisitorsToSignIn(string path)
    {
        using var app = new AdminApp();
        var response = await app.Client().GetAsync(path, Ct);
        AdminApp.AssertRedirect(response, $"/admin/login?returnUrl={Uri.EscapeDataString(path)}");
    }

    [Fact]
    public async Task LandingPageIsPublicAndEveryPageCarriesSecurityHeaders()
    {
        using var app = new AdminApp();
        var client = app.Client();
        var landing = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains("frame-ancestors 'self'", string.Join(";", landing.Headers.GetValues("Content-Security-Policy")));
        var login = await client.GetAsync("/admin/login", Ct);
        var csp = Assert.Single(login.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal("nosniff", Assert.Single(login.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(login.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(login.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task WrongPasswordIsRefusedAndAudited()
    {
        using var app = new AdminApp();
        var client = app.Client();
        var response = await AdminApp.SignInAsync(client, AdminApp.AdminEmail, "not-the-password");
        AdminApp.AssertRedirect(response, "/admin/login?error=invalid");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("chatplatform.admin=")));
        AdminApp.AssertRedirect(await client.GetAsync("/admin", Ct), "/admin/login");
        var unknownUser = await AdminApp.SignInAsync(client, "nobody@example.com", AdminApp.AdminPassword);
        AdminApp.AssertRedirect(unknownUser, "/admin/login?error=invalid");
        var failures = (await app.AuditAsync()).Where(a => a.Action == "auth.login-failed").Select(a => a.Actor).ToList();
        Assert.Equal([AdminApp.AdminEmail, "nobody@example.com"], failures);
    }

    [Fact]
    public async Task AdminSignsInReachesEveryPageAndSignsOut()
    {
        using var app = new AdminApp();
        var client = app.Client();
        var response = await AdminApp.SignInAsync(client, AdminApp.AdminEmail.ToUpperInvariant(), AdminApp.AdminPassword, "/admin/settings");
        AdminApp.AssertRedirect(response, "/admin/settings");
        foreach (var path in new[] { "/admin", "/admin/review", "/admin/knowledge", "/admin/settings" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path, Ct)).StatusCode);
        Assert.Contains(app.DataDirectory, await client.GetStringAsync("/admin/settings", Ct));

        var page = await client.GetStringAsync("/admin", Ct);
        var logout = await client.PostAsync("/admin/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AdminApp.Token(page) }), Ct);
        AdminApp.AssertRedirect(logout, "/admin/login");
        AdminApp.AssertRedirect(await client.GetAsync("/admin", Ct), "/admin/login");
        Assert.Equal(["user.create", "auth.login", "auth.logout"], (await app.AuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task SignInWithoutAntiforgeryTokenIsRejected()
    {
        using var app = new AdminApp();
        var form = new Dictionary<string, string> { ["email"] = AdminApp.AdminEmail, ["password"] = AdminApp.AdminPassword };
        var response = await app.Client().PostAsync("/admin/login", new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SignInRedirectsOnlyWithinTheAdminConsole()
    {
        using var app = new AdminApp();
        var response = await AdminApp.SignInAsync(app.Client(), AdminApp.AdminEmail, AdminApp.AdminPassword, "https://evil.example/admin");
        AdminApp.AssertRedirect(response, "/admin");
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ReviewerCannotReachAdminOnlyPages()
    {
        using var app = new AdminApp();
        var client = app.Client();
        await app.Services.GetRequiredService<AdminAccounts>()
            .CreateUserAsync("reviewer@example.com", "reviewer-password", AdminRoles.Reviewer, "test", ct: Ct);
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, "reviewer@example.com", "reviewer-password"), "/admin");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/review", Ct)).StatusCode);
        AdminApp.AssertRedirect(await client.GetAsync("/admin/knowledge", Ct), "/admin/denied");
        AdminApp.AssertRedirect(await client.GetAsync("/admin/settings", Ct), "/admin/denied");
        var dashboard = await client.GetStringAsync("/admin", Ct);
        Assert.DoesNotContain("href=\"admin/knowledge\"", dashboard);
    }

    [Fact]
    public async Task FirstRunWithoutPasswordPrintsAOneTimePasswordThatMustBeChanged()
    {
        using var app = new AdminApp(configuredAdmin: false);
        var client = app.Client();
        _ = await client.GetAsync("/", Ct);
        string[] announcements;
        lock (app.Logs) announcements = [.. app.Logs.Where(l => l.Contains("one-time password"))];
        var announcement = Assert.Single(announcements);
        var oneTime = Regex.Match(announcement, "one-time password (\\S+) ").Groups[1].Value;
        Assert.Equal(20, oneTime.Length);

        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, oneTime), "/admin/password");
        AdminApp.AssertRedirect(await client.GetAsync("/admin/review", Ct), "/admin/password");

        var page = await client.GetStringAsync("/admin/password", Ct);
        Assert.Contains("one-time password", page);
        var tooShort = await ChangePasswordAsync(client, page, oneTime, "short");
        AdminApp.AssertRedirect(tooShort, "/admin/password?error=");
        var changed = await ChangePasswordAsync(client, await client.GetStringAsync("/admin/password", Ct), oneTime, "my-own-long-password");
        AdminApp.AssertRedirect(changed, "/admin");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/review", Ct)).StatusCode);

        // The one-time password is gone; the new one works in a fresh session.
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(app.Client(), AdminApp.AdminEmail, oneTime), "/admin/login?error=invalid");
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(app.Client(), AdminApp.AdminEmail, "my-own-long-password"), "/admin");
    }

    [Fact]
    public async Task SignInAttemptsAreRateLimitedPerClient()
    {
        using var app = new AdminApp(new() { ["Admin:LoginAttemptsPerMinute"] = "2" });
        var client = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, "wrong-1"), "/admin/login?error=invalid");
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, "wrong-2"), "/admin/login?error=invalid");
        // Even the right password is refused until the window passes.
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, AdminApp.AdminEmail, AdminApp.AdminPassword), "/admin/login?error=throttled");
        AdminApp.AssertRedirect(await client.GetAsync("/admin", Ct), "/admin/login");
    }

    [Fact]
    public void ShortConfiguredPasswordStopsTheStartNamingTheKey()
    {
        using var app = new AdminApp(new() { ["Admin:Password"] = "short" });
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());
        Assert.Contains("Admin:Password: must be at least 12 characters", e.Message);
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string page, string current, string next) =>
        client.PostAsync("/admin/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminApp.Token(page),
            ["currentPassword"] = current, ["newPassword"] = next, ["confirmPassword"] = next,
        }), Ct);
}
