using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace ChatPlatform.Web.Admin.Users;

/// <summary>
/// A Blazor circuit keeps the principal it started with; this re-checks it every <see cref="RevalidationInterval"/> and
/// turns the circuit anonymous (the page then sends its user to sign in) once the account is disabled, reset or re-roled.
/// A reload then carries the cookie, which <see cref="AdminCookieValidation"/> ends or updates.
/// </summary>
internal sealed class AdminCircuitRevalidation(ILoggerFactory loggers, AdminSessionCheck check) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState, cancellationToken);

    /// <summary>False once the circuit's principal no longer matches its account (a role change included: the reload picks it up).</summary>
    internal async Task<bool> IsStillValidAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        (await check.CheckAsync(authenticationState.User, cancellationToken)).Verdict == SessionVerdict.Current;
}
