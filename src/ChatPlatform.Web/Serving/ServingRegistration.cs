using ChatPlatform.Web.OpenAi;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>How the serving area registers itself: options, models, queue, API keys and rate limits.</summary>
public static class ServingRegistration
{
    public static WebApplicationBuilder AddServing(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ServingOptions>().Bind(builder.Configuration.GetSection(ServingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServingOptions>, ServingOptionsValidator>();
        services.AddSingleton<ServedModels>();
        // metered: each request's tokens, time to first token and finish reason go into its log event
        services.AddSingleton<IChatClient>(sp => RequestLogs.MeteredChatClient.Around(sp.GetRequiredService<ServedModels>().Chat));
        services.AddSingleton<FairRequestQueue>();
        services.AddHostedService<ModelStartup>();
        services.AddServingRateLimits();
        return builder;
    }

    /// <summary>API keys, then rate limits (so a request without a valid key cannot use up anyone's allowance).</summary>
    public static WebApplication UseServing(this WebApplication app)
    {
        app.UseMiddleware<ApiKeyAuthentication>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Loads the models when the host starts (after options validation), so the first request does not wait.</summary>
    private sealed class ModelStartup(IServiceProvider services, IOptions<ServingOptions> options, ILogger<ModelStartup> log) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<ServedModels>();
            if (options.Value.ApiKeys.Length > 0) return;
            if (services.GetService<ManagedApiKeys>() is { } managed && await managed.AnyActiveAsync(cancellationToken)) return;
            ServingLog.OpenAccess(log);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
