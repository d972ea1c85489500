using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Admin.Users;
using ChatPlatform.Web.Components;
using ChatPlatform.Web.Knowledge;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Radzen;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// How the admin console registers itself: options, the platform database and knowledge base of the data directory,
/// cookie sign-in with the admin and reviewer roles, Blazor Server with Radzen, security headers.
/// </summary>
public static class AdminConsoleRegistration
{
    public static WebApplicationBuilder AddAdminConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        builder.AddPlatformData();
        services.AddSingleton<ReviewService>();
        services.AddSingleton<DatasetService>();
        builder.AddKnowledge();
        services.AddSingleton<KnowledgeAdmin>();
        services.AddSingleton<KnowledgeIndexing>();
        services.AddSingleton<PlatformStatus>();
        services.AddSingleton<AdminAccounts>();
        services.AddSingleton<Serving.ManagedApiKeys>();
        services.AddSingleton<LoginThrottle>();
        services.AddUserAdministration();
        services.AddHostedService<FirstAdminStartup>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = AccountEndpoints.LoginPath;
            cookie.LogoutPath = AccountEndpoints.LogoutPath;
            cookie.AccessDeniedPath = AccountEndpoints.DeniedPath;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Cookie.Name = "chatplatform.admin";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AdminOptions>>((cookie, admin) => cookie.ExpireTimeSpan = TimeSpan.FromHours(admin.Value.SessionHours));
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminClaims.ReviewerPolicy, p => p.RequireAuthenticatedUser().RequireRole(AdminRoles.Admin, AdminRoles.Reviewer)
                .RequireAssertion(c => !c.User.HasClaim(x => x.Type == AdminClaims.MustChangePassword)))
            .AddPolicy(AdminClaims.AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(AdminRoles.Admin)
                .RequireAssertion(c => !c.User.HasClaim(x => x.Type == AdminClaims.MustChangePassword)));
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery();

        // Serve wwwroot and package assets (_content/Radzen.Blazor) from a build's manifest in every environment, not only
        // Development, so `./run.sh` works from the build output; a published app has none and serves its own wwwroot.
        builder.WebHost.UseStaticWebAssets();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddRadzenComponents();
        return builder;
    }

    /// <summary>Security headers first (every response), then sign-in, the one-time-password gate, authorization, anti-forgery.</summary>
    public static WebApplication UseAdminConsole(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        app.UseMiddleware<PasswordChangeGate>();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapAdminConsole(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        // SecurityHeaders sets the whole policy, frame-ancestors included; Blazor would add a second CSP header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
