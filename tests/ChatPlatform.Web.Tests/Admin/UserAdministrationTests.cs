using System.Globalization;
using System.Net;
using System.Security.Claims;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Admin;
using ChatPlatform.Web.Admin.Users;
using ChatPlatform.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests.Admin;

/// <summary>
/// The Users page's actions and what they do to live sessions, as a browser sees them: one-time passwords that must be
/// changed, roles that apply on the next request, disabled accounts whose sessions end, the last admin kept, all audited.
/// </summary>
public sealed class UserAdministrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static UserAdministration Users(AdminApp app) => app.Services.GetRequiredService<UserAdministration>();

    private static async Task<AdminUser> AccountAsync(AdminApp app, string email)
    {
        await using var db = new PlatformDbContext(app.Services.GetRequiredService<DbContextOptions<PlatformDbContext>>());
        return await db.AdminUsers.AsNoTracking().SingleAsync(u => u.Email == email, Ct);
    }

    private static async Task<long> AdminIdAsync(AdminApp app) => (await AccountAsync(app, AdminApp.AdminEmail)).Id;

    /// <summary>A signed-in client of a user the admin added (one-time password already replaced by <paramref name="password"/>).</summary>
    private static async Task<(HttpClient Client, AdminUser User)> SignedInUserAsync(AdminApp app, string email, string role, string password)
    {
        var added = await Users(app).AddAsync(email, role, await AdminIdAsync(app), Ct);
        var client = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, email, added.Password), AccountEndpoints.PasswordPath);
        AdminApp.AssertRedirect(await ChangePasswordAsync(client, added.Password, password), "/admin");
        return (client, added.User);
    }

    [Fact]
    public async Task AddedUserSignsInWithTheOneTimePasswordAndMustReplaceIt()
    {
        using var app = new AdminApp();
        var added = await Users(app).AddAsync(" New.Reviewer@Example.com ", AdminRoles.Reviewer, await AdminIdAsync(app), Ct);
        Assert.Equal(20, added.Password.Length);
        var stored = await AccountAsync(app, "new.reviewer@example.com");
        Assert.True(stored.MustChangePassword);
        Assert.Equal(AdminRoles.Reviewer, stored.Role);
        Assert.DoesNotContain(added.Password, stored.PasswordHash);

        var client = app.Client();
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(client, "new.reviewer@example.com", added.Password), AccountEndpoints.PasswordPath);
        // Until the password is changed, every console page leads back to the password page.
        AdminApp.AssertRedirect(await client.GetAsync("/admin/review", Ct), AccountEndpoints.PasswordPath);
        AdminApp.AssertRedirect(await ChangePasswordAsync(client, added.Password, "a-password-of-my-own"), "/admin");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/review", Ct)).StatusCode);
        Assert.False((await AccountAsync(app, "new.reviewer@example.com")).MustChangePassword);

        // The one-time password is in no log line and no audit entry.
        lock (app.Logs) Assert.DoesNotContain(app.Logs, l => l.Contains(added.Password));
        Assert.DoesNotContain(await app.AuditAsync(), a => (a.DetailsJson ?? "").Contains(added.Password));
        Assert.DoesNotContain(added.Password, added.ToString());
    }

    [Fact]
    public async Task AddingADuplicateOrAMalformedAddressIsRefusedClearly()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var duplicate = await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).AddAsync(AdminApp.AdminEmail, AdminRoles.Admin, adminId, Ct));
        Assert.Contains("already exists", duplicate.Message);
        var malformed = await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).AddAsync("not an address", AdminRoles.Admin, adminId, Ct));
        Assert.Contains("'not an address' is not an e-mail address", malformed.Message);
        var role = await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).AddAsync("x@example.com", "owner", adminId, Ct));
        Assert.Contains("role must be", role.Message);
    }

    [Fact]
    public async Task OnlyAdminsOpenTheUsersPage()
    {
        using var app = new AdminApp();
        var admin = app.Client();
        await AdminApp.SignInAsync(admin, AdminApp.AdminEmail, AdminApp.AdminPassword);
        var page = await admin.GetStringAsync("/admin/users", Ct);
        Assert.Contains("id=\"add-user-form\"", page);
        Assert.Contains(AdminApp.AdminEmail, page);
        Assert.Contains("href=\"admin/users\"", page);

        var (reviewer, _) = await SignedInUserAsync(app, "reviewer@example.com", AdminRoles.Reviewer, "reviewer-password");
        AdminApp.AssertRedirect(await reviewer.GetAsync("/admin/users", Ct), AccountEndpoints.DeniedPath);
        Assert.DoesNotContain("href=\"admin/users\"", await reviewer.GetStringAsync("/admin", Ct));
    }

    [Fact]
    public async Task DisablingEndsTheSessionAndBlocksSignInUntilEnabled()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var (client, user) = await SignedInUserAsync(app, "reviewer@example.com", AdminRoles.Reviewer, "reviewer-password");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/review", Ct)).StatusCode);

        await Users(app).DisableAsync(user.Id, adminId, Ct);
        Assert.NotNull((await AccountAsync(app, user.Email)).DisabledAt);
        // The same cookie no longer opens anything, and the response clears it.
        var afterDisable = await client.GetAsync("/admin/review", Ct);
        AdminApp.AssertRedirect(afterDisable, "/admin/login");
        Assert.Contains(afterDisable.Headers.GetValues("Set-Cookie"), c => c.StartsWith("chatplatform.admin=;"));
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(app.Client(), user.Email, "reviewer-password"), "/admin/login?error=invalid");
        Assert.Contains(await app.AuditAsync(), a => a.Action == "auth.login-failed" && a.Target == $"user:{user.Id}" && a.DetailsJson!.Contains("disabled"));

        await Users(app).EnableAsync(user.Id, adminId, Ct);
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(app.Client(), user.Email, "reviewer-password"), "/admin");
    }

    [Fact]
    public async Task RoleChangeTakesEffectOnTheNextRequestOfAnOpenSession()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var (client, user) = await SignedInUserAsync(app, "someone@example.com", AdminRoles.Reviewer, "someone-password");
        AdminApp.AssertRedirect(await client.GetAsync("/admin/settings", Ct), AccountEndpoints.DeniedPath);

        await Users(app).ChangeRoleAsync(user.Id, AdminRoles.Admin, adminId, Ct);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/settings", Ct)).StatusCode);
        // The renewed cookie carries the new role by itself.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users", Ct)).StatusCode);

        await Users(app).ChangeRoleAsync(user.Id, AdminRoles.Reviewer, adminId, Ct);
        AdminApp.AssertRedirect(await client.GetAsync("/admin/settings", Ct), AccountEndpoints.DeniedPath);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/review", Ct)).StatusCode);
    }

    [Fact]
    public async Task ThePasswordResetEndsSessionsAndIssuesANewOneTimePassword()
    {
        using var app = new AdminApp();
        var (client, user) = await SignedInUserAsync(app, "reviewer@example.com", AdminRoles.Reviewer, "reviewer-password");
        var reset = await Users(app).ResetPasswordAsync(user.Id, await AdminIdAsync(app), Ct);
        AdminApp.AssertRedirect(await client.GetAsync("/admin/review", Ct), "/admin/login");
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(app.Client(), user.Email, "reviewer-password"), "/admin/login?error=invalid");
        AdminApp.AssertRedirect(await AdminApp.SignInAsync(app.Client(), user.Email, reset.Password), AccountEndpoints.PasswordPath);
    }

    [Fact]
    public async Task TheLastActiveAdminCannotBeDemotedOrDisabled()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var demote = await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).ChangeRoleAsync(adminId, AdminRoles.Reviewer, adminId, Ct));
        Assert.Contains($"{AdminApp.AdminEmail} is the last active admin", demote.Message);
        var disable = await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).DisableAsync(adminId, adminId, Ct));
        Assert.Contains("last active admin", disable.Message);

        // A second admin who is disabled does not count.
        var second = await Users(app).AddAsync("second@example.com", AdminRoles.Admin, adminId, Ct);
        await Users(app).DisableAsync(second.User.Id, adminId, Ct);
        await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).ChangeRoleAsync(adminId, AdminRoles.Reviewer, adminId, Ct));
        var first = await AccountAsync(app, AdminApp.AdminEmail);
        Assert.Equal((AdminRoles.Admin, null), (first.Role, first.DisabledAt));

        // Once enabled, it does: the first admin may step down, and then manages nothing more.
        await Users(app).EnableAsync(second.User.Id, adminId, Ct);
        await Users(app).ChangeRoleAsync(adminId, AdminRoles.Reviewer, adminId, Ct);
        Assert.Equal(AdminRoles.Reviewer, (await AccountAsync(app, AdminApp.AdminEmail)).Role);
        var stale = await Assert.ThrowsAsync<AccountChangeRefusedException>(() => Users(app).DisableAsync(second.User.Id, adminId, Ct));
        Assert.Contains("only an active admin may manage users", stale.Message);
        Assert.Null((await AccountAsync(app, "second@example.com")).DisabledAt);
    }

    [Fact]
    public async Task EveryActionIsAuditedWithActorAndTargetButNoPassword()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var before = (await app.AuditAsync()).Count;
        var added = await Users(app).AddAsync("audited@example.com", AdminRoles.Reviewer, adminId, Ct);
        var id = added.User.Id;
        await Users(app).ChangeRoleAsync(id, AdminRoles.Admin, adminId, Ct);
        await Users(app).ChangeRoleAsync(id, AdminRoles.Admin, adminId, Ct); // no change: no entry
        await Users(app).DisableAsync(id, adminId, Ct);
        await Users(app).EnableAsync(id, adminId, Ct);
        var reset = await Users(app).ResetPasswordAsync(id, adminId, Ct);

        var entries = (await app.AuditAsync()).Skip(before).ToList();
        Assert.Equal(["user.create", "user.role-change", "user.disable", "user.enable", "user.password-reset"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((AdminApp.AdminEmail, $"user:{id}"), (e.Actor, e.Target)));
        Assert.Contains("\"from\":\"reviewer\",\"to\":\"admin\"", entries[1].DetailsJson);
        Assert.All(entries, e => Assert.DoesNotContain(added.Password, e.DetailsJson ?? ""));
        Assert.All(entries, e => Assert.DoesNotContain(reset.Password, e.DetailsJson ?? ""));
    }

    [Fact]
    public async Task AnOpenCircuitIsNoLongerValidOnceItsAccountIsDisabledOrReRoled()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var user = (await Users(app).AddAsync("circuit@example.com", AdminRoles.Reviewer, adminId, Ct)).User;
        await using var scope = app.Services.CreateAsyncScope();
        var circuit = Assert.IsType<AdminCircuitRevalidation>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
        var state = new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Name, user.Email),
            new Claim(ClaimTypes.Role, AdminRoles.Reviewer), new Claim(AdminClaims.MustChangePassword, "true"),
        ], "test")));

        Assert.True(await circuit.IsStillValidAsync(state, Ct));
        await Users(app).ChangeRoleAsync(user.Id, AdminRoles.Admin, adminId, Ct);
        Assert.False(await circuit.IsStillValidAsync(state, Ct));
        await Users(app).ChangeRoleAsync(user.Id, AdminRoles.Reviewer, adminId, Ct);
        Assert.True(await circuit.IsStillValidAsync(state, Ct));
        await Users(app).DisableAsync(user.Id, adminId, Ct);
        Assert.False(await circuit.IsStillValidAsync(state, Ct));
    }

    [Fact]
    public async Task ThePageListsUsersWithTheirRoleStatusAndActions()
    {
        using var app = new AdminApp();
        var adminId = await AdminIdAsync(app);
        var disabled = await Users(app).AddAsync("gone@example.com", AdminRoles.Reviewer, adminId, Ct);
        await Users(app).DisableAsync(disabled.User.Id, adminId, Ct);

        var html = await ComponentRender.HtmlAsync<Users>(app.Services);
        Assert.Contains("id=\"users\"", html);
        Assert.Contains("data-user=\"admin@example.com\"", html);
        Assert.Contains("class=\"user user-disabled\" data-user=\"gone@example.com\"", html);
        Assert.Contains("disabled since", html);
        Assert.Contains("Make reviewer", html);
        Assert.Contains("Enable", html);
        Assert.Contains("never", html); // gone@example.com never signed in
        Assert.DoesNotContain("one-time-password-panel", html);
        Assert.DoesNotContain("data-interactive", html); // only once a circuit drives the page
    }

    private static async Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string current, string next)
    {
        var page = await client.GetStringAsync(AccountEndpoints.PasswordPath, Ct);
        return await client.PostAsync(AccountEndpoints.PasswordPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminApp.Token(page),
            ["currentPassword"] = current, ["newPassword"] = next, ["confirmPassword"] = next,
        }), Ct);
    }
}
