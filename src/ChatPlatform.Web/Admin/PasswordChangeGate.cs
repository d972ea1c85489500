namespace ChatPlatform.Web.Admin;

/// <summary>
/// A user signed in with a generated one-time password sees only the password page (and may sign out) until they change
/// it. The authorization policies refuse such a user too; this turns the refusal into a redirect to the right page.
/// </summary>
internal sealed class PasswordChangeGate(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path;
        if (http.User.HasClaim(c => c.Type == AdminClaims.MustChangePassword) && path.StartsWithSegments("/admin")
            && !path.StartsWithSegments(AccountEndpoints.PasswordPath) && !path.StartsWithSegments(AccountEndpoints.LogoutPath)
            && !path.StartsWithSegments(AccountEndpoints.LoginPath))
        {
            http.Response.Redirect(AccountEndpoints.PasswordPath);
            return Task.CompletedTask;
        }
        return next(http);
    }
}
