using ChatPlatform.Core.Redaction;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Logs;
using ChatPlatform.Web.Admin.Models;
using ChatPlatform.Web.Admin.Training;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// The admin console's background work: the job runner (a hosted service), Retrain with its live monitor, model
/// versions and support-log imports. The base model Retrain fine-tunes is Platform:BaseModel, else Serving:Model.
/// </summary>
public static class TrainingConsoleRegistration
{
    public static WebApplicationBuilder AddAdminJobsAndTraining(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Read at each configure, so an edited Serving:Model (settings.json, reloaded) is the fallback at once.
        services.AddOptions<PlatformOptions>().PostConfigure<IConfiguration>((o, configuration) =>
        {
            var servingModel = configuration["Serving:Model"];
            if (string.IsNullOrWhiteSpace(o.BaseModel)) o.BaseModel = string.IsNullOrWhiteSpace(servingModel) ? null : servingModel;
        });
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<TrainingMonitor>();
        services.AddSingleton<RetrainService>();
        services.AddSingleton<ModelVersions>();
        services.AddSingleton<Serving.IModelVersionCatalog>(sp => sp.GetRequiredService<ModelVersions>());
        services.AddSingleton<Playground.PlaygroundService>();
        // The same "Redaction" section the command line reads with --settings (appsettings.example.json).
        services.AddOptions<RedactionOptions>().Bind(builder.Configuration.GetSection(RedactionOptions.Section));
        services.AddSingleton<LogImports>();
        services.AddSingleton<Examples.ExampleGeneration>();
        services.AddSingleton<Starter.StarterModel>();
        return builder;
    }
}
