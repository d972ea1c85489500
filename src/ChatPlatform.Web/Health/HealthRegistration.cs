using ChatPlatform.Core.Storage;
using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatPlatform.Web.Health;

/// <summary>
/// `/healthz` (liveness: the process answers) and `/readyz` (readiness: the database opens, and the served model is
/// loaded when this host serves one), for load balancers and orchestrators. Both are anonymous and carry no data.
/// Call after the areas are added, so the checks match what this host runs.
/// </summary>
public static class HealthRegistration
{
    const string Ready = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks();
        if (builder.Services.Any(d => d.ServiceType == typeof(IDbContextFactory<PlatformDbContext>)))
            checks.AddCheck<DatabaseReadiness>("database", tags: [Ready]);
        if (builder.Services.Any(d => d.ServiceType == typeof(ServedModel)))
            checks.AddCheck<ModelReadiness>("model", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }).AllowAnonymous();
        return app;
    }

    sealed class DatabaseReadiness(IDbContextFactory<PlatformDbContext> contexts) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the platform database cannot be opened");
        }
    }

    /// <summary>
    /// Ready when a chat version serves, or when none is configured (chat then answers with passages alone); not ready
    /// while the first version is still loading; degraded when the last load failed.
    /// </summary>
    sealed class ModelReadiness(ServedModel models) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = models.Status;
            return Task.FromResult(status.State switch
            {
                ModelState.Loading when status.Serving is null => HealthCheckResult.Unhealthy($"loading {status.Loading?.Id}"),
                ModelState.Error => HealthCheckResult.Degraded(status.Error),
                ModelState.None => HealthCheckResult.Healthy("no chat model: answers use retrieved passages alone"),
                _ => HealthCheckResult.Healthy(status.Serving?.Id),
            });
        }
    }
}
