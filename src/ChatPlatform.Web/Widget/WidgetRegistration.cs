using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>How the customer chat widget registers itself: its settings, the site/CORS filter, rate limits and the assistant.</summary>
public static class WidgetRegistration
{
    public static WebApplicationBuilder AddWidget(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WidgetOptions>().Bind(builder.Configuration.GetSection(WidgetOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WidgetOptions>, WidgetOptionsValidator>();
        services.AddSingleton<WidgetSiteFilter>();
        services.AddSingleton<WidgetRateLimits>();
        services.AddSingleton<WidgetAssistant>();
        return builder;
    }
}
