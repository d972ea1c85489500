using System.Security.Claims;

namespace ChatPlatform.Web.Admin;

/// <summary>The claims of an admin console sign-in and the authorization policies built on them.</summary>
public static class AdminClaims
{
    /// <summary>Present while the user still has a generated one-time password: only the password page is open to them.</summary>
    public const string MustChangePassword = "chatplatform:must_change_password";

    /// <summary>Reviewers and admins: dashboard and dataset review.</summary>
    public const string ReviewerPolicy = "admin-console-reviewer";
    /// <summary>Admins only: knowledge, settings, and later training and model activation.</summary>
    public const string AdminPolicy = "admin-console-admin";

    public static long UserId(ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not signed in"),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name written to audit entries (the e-mail).</summary>
    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? throw new InvalidOperationException("not signed in");
}
