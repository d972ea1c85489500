using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ChatPlatform.Web.Admin.Users;

/// <summary>
/// Checks the console cookie against its account on every request: a disabled or removed account (or one whose password
/// was reset) is signed out at once; a changed role is written into a renewed cookie, so it applies from the next request.
/// </summary>
internal sealed class AdminCookieValidation(AdminSessionCheck check) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal) return;
        var (verdict, role) = await check.CheckAsync(principal, context.HttpContext.RequestAborted);
        switch (verdict)
        {
            case SessionVerdict.Ended:
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                break;
            case SessionVerdict.RoleChanged:
                context.ReplacePrincipal(AdminSessionCheck.WithRole(principal, role!));
                context.ShouldRenew = true;
                break;
        }
    }
}
