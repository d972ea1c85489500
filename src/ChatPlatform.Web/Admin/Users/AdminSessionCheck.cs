using System.Globalization;
using System.Security.Claims;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Admin.Users;

/// <summary>What a signed-in session is worth now that its account may have changed since the cookie was issued.</summary>
public enum SessionVerdict
{
    /// <summary>The account is as the cookie says.</summary>
    Current,
    /// <summary>Only the role changed: the session goes on with the new role.</summary>
    RoleChanged,
    /// <summary>The account is gone, disabled, or its password was reset or changed elsewhere: the session ends.</summary>
    Ended,
}

/// <summary>
/// Compares a console principal with its account in the database, on every request (cookie validation) and periodically on
/// every circuit. One indexed SQLite lookup per request, deliberately uncached: a cache would let a disabled user through
/// for its lifetime, and the console has few users and few requests.
/// </summary>
public sealed class AdminSessionCheck(IDbContextFactory<PlatformDbContext> contexts)
{
    public async Task<(SessionVerdict Verdict, string? Role)> CheckAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return (SessionVerdict.Ended, null);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var account = await db.AdminUsers.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.Email, u.Role, u.DisabledAt, u.MustChangePassword }).SingleOrDefaultAsync(ct);
        // A reset password sets MustChangePassword, a changed one clears it: either way a cookie from before no longer matches.
        if (account is null || account.DisabledAt is not null || account.Email != principal.Identity?.Name
            || account.MustChangePassword != principal.HasClaim(c => c.Type == AdminClaims.MustChangePassword))
            return (SessionVerdict.Ended, null);
        return account.Role == principal.FindFirstValue(ClaimTypes.Role) ? (SessionVerdict.Current, account.Role) : (SessionVerdict.RoleChanged, account.Role);
    }

    /// <summary>The same sign-in with <paramref name="role"/> in place of its role claim.</summary>
    public static ClaimsPrincipal WithRole(ClaimsPrincipal principal, string role)
    {
        var identity = principal.Identity as ClaimsIdentity ?? throw new InvalidOperationException("not a claims identity");
        var claims = identity.Claims.Where(c => c.Type != ClaimTypes.Role).Append(new Claim(ClaimTypes.Role, role));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType));
    }
}
