using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// The data directory (Platform section) and its platform database, for the full app and for `chatplatform serve`
/// (whose widget stores conversations and feedback there). Registering twice is harmless.
/// </summary>
public static class PlatformDataRegistration
{
    public static WebApplicationBuilder AddPlatformData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(PlatformDatabase))) return builder;
        services.AddOptions<PlatformOptions>().Bind(builder.Configuration.GetSection(PlatformOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PlatformOptions>, PlatformOptionsValidator>());
        // Building the options migrates the database; DI builds a singleton once, so the first user of it waits for that.
        services.AddSingleton(sp => PlatformDatabase.Initialize(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.FullDataDirectory));
        services.AddSingleton<IDbContextFactory<PlatformDbContext>, PlatformDbContextFactory>();
        return builder;
    }
}
