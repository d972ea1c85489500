using System.Net;
using ChatPlatform.Core.Domain;
using ChatPlatform.Web.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>Jobs, Training, Models, Support logs and API keys are for admins only.</summary>
public sealed class TrainingConsoleAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string[] Pages = ["/admin/jobs", "/admin/training", "/admin/models", "/admin/logs", "/admin/api-keys"];

    [Fact]
    public async Task AdminReachesThePagesAndAReviewerIsRefused()
    {
        using var app = new AdminApp();
        var admin = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(admin, AdminApp.AdminEmail, AdminApp.AdminPassword), "/admin");
        foreach (var path in Pages) Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path, Ct)).StatusCode);
        var dashboard = await admin.GetStringAsync("/admin", Ct);
        foreach (var path in Pages) Assert.Contains($"href=\"{path[1..]}\"", dashboard);

        await app.Services.GetRequiredService<AdminAccounts>()
            .CreateUserAsync("reviewer@example.com", "reviewer-password", AdminRoles.Reviewer, "test", ct: Ct);
        var reviewer = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(reviewer, "reviewer@example.com", "reviewer-password"), "/admin");
        foreach (var path in Pages) AdminApp.AssertRedirect(await reviewer.GetAsync(path, Ct), "/admin/denied");
        var reviewerDashboard = await reviewer.GetStringAsync("/admin", Ct);
        foreach (var path in Pages) Assert.DoesNotContain($"href=\"{path[1..]}\"", reviewerDashboard);

        var anonymous = app.Client();
        foreach (var path in Pages) AdminApp.AssertRedirect(await anonymous.GetAsync(path, Ct), "/admin/login");
    }
}
