using ChatPlatform.Llm;
using ChatPlatform.Web.Admin.Settings;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>How the serving area registers itself: options, the served chat version and its loader, embeddings, queue, API keys and rate limits.</summary>
public static class ServingRegistration
{
    /// <param name="requireModel">True for `chatplatform serve`, which has no model versions to fall back on: Serving:Model must be set.</param>
    public static WebApplicationBuilder AddServing(this WebApplicationBuilder builder, bool requireModel = false)
    {
        var services = builder.Services;
        services.AddOptions<ServingOptions>().Bind(builder.Configuration.GetSection(ServingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServingOptions>>(new ServingOptionsValidator(requireModel));
        // The full app shares the cores with training jobs, so its inference thread keeps to Threads:Inference;
        // `serve` (requireModel) has the machine to itself and leaves the engine's default.
        services.TryAddSingleton<ChatClientFactory>(sp =>
        {
            var serving = sp.GetRequiredService<IOptions<ServingOptions>>().Value;
            int? threads = requireModel ? null : sp.GetRequiredService<IOptions<ThreadBudgets>>().Value.Inference;
            return model => LocalChatClient.WithOwnWorker(model, serving.MaxConcurrentRequests, threads, (long)serving.PromptCacheMegabytes << 20);
        });
        services.AddSingleton<ModelLoader>();
        services.AddSingleton<ServedModel>();
        services.AddSingleton<ServedEmbeddings>();
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

    /// <summary>
    /// Loads the models when the host starts (after options validation), so the first request does not wait: the active
    /// registered version when there is one, else Serving:Model. A configured model that fails to load stops start-up
    /// (the settings are wrong); an activated version that fails to load leaves the app up without a model, its error
    /// shown on the Models page, so an admin can activate another.
    /// </summary>
    private sealed class ModelStartup(IServiceProvider services, ServedModel served, IOptions<ServingOptions> options, ILogger<ModelStartup> log)
        : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<ServedEmbeddings>();
            if (options.Value.ApiKeys.Length == 0
                && !(services.GetService<ManagedApiKeys>() is { } managed && await managed.AnyActiveAsync(cancellationToken)))
                ServingLog.OpenAccess(log);
            var catalog = services.GetService<IModelVersionCatalog>();
            var active = catalog is null ? null : (await catalog.ListAsync(cancellationToken)).FirstOrDefault(v => v.IsActive)?.Spec;
            if (active is not null)
            {
                try
                {
                    await served.SwapAsync(active, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // logged and shown in the status by the holder
                }
            }
            else if (options.Value.ConfiguredModel is { } configured) await served.SwapAsync(configured, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
