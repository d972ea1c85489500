namespace ChatPlatform.Web.Serving;

/// <summary>The serving layer's structured log events (message templates, so fields stay queryable).</summary>
internal static partial class ServingLog
{
    [LoggerMessage(1, LogLevel.Information, "Loaded chat model {Model} (adapter {Adapter}), embedding model {EmbeddingModel} on {Device}")]
    public static partial void ModelsLoaded(ILogger log, string model, string adapter, string embeddingModel, string device);

    [LoggerMessage(2, LogLevel.Warning, "Model {Model}: {Warning}")]
    public static partial void TemplateFallback(ILogger log, string model, string warning);

    [LoggerMessage(3, LogLevel.Warning, "No API key is configured (Serving:ApiKeys, --api-key, or the admin console's API keys page): the API is open to anyone who can reach it")]
    public static partial void OpenAccess(ILogger log);

    // 4-6 were the per-request events; RequestLogs.RequestLogging writes one per request now

    [LoggerMessage(7, LogLevel.Error, "Request {Path} failed")]
    public static partial void Failed(ILogger log, Exception e, string path);

    [LoggerMessage(8, LogLevel.Warning, "Request queue is full ({Queued} waiting): refused client {Client}")]
    public static partial void QueueFull(ILogger log, int queued, string client);
}
