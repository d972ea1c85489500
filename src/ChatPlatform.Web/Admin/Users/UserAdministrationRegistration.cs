using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;

namespace ChatPlatform.Web.Admin.Users;

/// <summary>The Users page's service and the per-request and per-circuit checks that make its changes apply to live sessions.</summary>
public static class UserAdministrationRegistration
{
    public static IServiceCollection AddUserAdministration(this IServiceCollection services)
    {
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<AdminSessionCheck>();
        services.AddSingleton<AdminCookieValidation>();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure(cookie => cookie.EventsType = typeof(AdminCookieValidation));
        // Registered after (and so in place of) the server's default provider, which never looks at the account again.
        services.AddScoped<AuthenticationStateProvider, AdminCircuitRevalidation>();
        return services;
    }
}
