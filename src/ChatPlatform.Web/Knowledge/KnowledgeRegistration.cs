using ChatPlatform.Rag;
using ChatPlatform.Web.Admin;

namespace ChatPlatform.Web.Knowledge;

/// <summary>How the knowledge base registers itself: the "Rag" section, and the store, ingestor and retriever of <see cref="KnowledgeBase"/>.</summary>
public static class KnowledgeRegistration
{
    public static WebApplicationBuilder AddKnowledge(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RagOptions>().Bind(builder.Configuration.GetSection(RagOptions.SectionName));
        builder.AddPlatformData();  // the data directory
        services.AddSingleton<KnowledgeBase>();
        services.AddSingleton(sp => sp.GetRequiredService<KnowledgeBase>().Store);
        services.AddSingleton(sp => sp.GetRequiredService<KnowledgeBase>().Ingestor);
        services.AddSingleton(sp => sp.GetRequiredService<KnowledgeBase>().Retriever);
        services.AddHostedService<KnowledgeStartup>();
        return builder;
    }

    /// <summary>Opens the knowledge base when the host starts, so a wrong vector size or an unreachable Qdrant fails start-up.</summary>
    private sealed class KnowledgeStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<KnowledgeBase>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
