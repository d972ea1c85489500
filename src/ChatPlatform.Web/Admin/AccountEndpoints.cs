using System.Security.Claims;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// The form posts behind the static sign-in and password pages: sign in (rate-limited per IP), sign out, change password.
/// Minimal API form binding makes ASP.NET Core validate the anti-forgery token of every one of them.
/// </summary>
internal static class AccountEndpoints
{
    public const string LoginPath = "/admin/login";
    public const string PasswordPath = "/admin/password";
    public const string LogoutPath = "/admin/logout";
    public const string DeniedPath = "/admin/denied";

    // Settable properties rather than a positional record: a field the form leaves out binds as null instead of a 400.
    public sealed class LoginForm
    {
        public string? Email { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    public sealed class PasswordForm
    {
        public string? CurrentPassword { get; set; }
        public string? NewPassword { get; set; }
        public string? ConfirmPassword { get; set; }
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LoginPath, LoginAsync);
        app.MapPost(LogoutPath, LogoutAsync).RequireAuthorization();
        app.MapPost(PasswordPath, ChangePasswordAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LoginAsync([FromForm] LoginForm form, HttpContext http, AdminAccounts accounts, LoginThrottle throttle)
    {
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        if (!throttle.TryAttempt(client)) return Results.Redirect(LoginPage("throttled", returnUrl));
        if (string.IsNullOrWhiteSpace(form.Email) || string.IsNullOrEmpty(form.Password)) return Results.Redirect(LoginPage("invalid", returnUrl));
        var user = await accounts.VerifyAsync(form.Email, form.Password, client, http.RequestAborted);
        if (user is null) return Results.Redirect(LoginPage("invalid", returnUrl));
        await SignInAsync(http, user);
        return Results.LocalRedirect(user.MustChangePassword ? PasswordPath : returnUrl);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, IDbContextFactory<PlatformDbContext> contexts)
    {
        await using (var db = await contexts.CreateDbContextAsync(http.RequestAborted))
            await Audit.WriteAsync(db, AdminClaims.Actor(http.User), "auth.logout", null, null, http.RequestAborted);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(LoginPath);
    }

    private static async Task<IResult> ChangePasswordAsync([FromForm] PasswordForm form, HttpContext http, AdminAccounts accounts)
    {
        if (form.NewPassword != form.ConfirmPassword) return Results.Redirect($"{PasswordPath}?error=mismatch");
        var userId = AdminClaims.UserId(http.User);
        var problem = await accounts.ChangePasswordAsync(userId, form.CurrentPassword ?? "", form.NewPassword ?? "", http.RequestAborted);
        if (problem is not null) return Results.Redirect($"{PasswordPath}?error={Uri.EscapeDataString(problem)}");
        // A fresh cookie without the must-change claim.
        var user = await accounts.FindAsync(userId, http.RequestAborted) ?? throw new InvalidOperationException($"user {userId} vanished");
        await SignInAsync(http, user);
        return Results.LocalRedirect("/admin");
    }

    private static Task SignInAsync(HttpContext http, AdminUser user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Email),
            new(ClaimTypes.Role, user.Role),
        };
        if (user.MustChangePassword) claims.Add(new Claim(AdminClaims.MustChangePassword, "true"));
        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static string LoginPage(string error, string returnUrl) =>
        $"{LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>Only paths on this site under /admin: a sign-in must not become an open redirect.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith("/admin", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\') ? url : "/admin";
}
