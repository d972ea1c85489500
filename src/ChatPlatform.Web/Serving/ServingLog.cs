namespace ChatPlatform.Web.Serving;

/// <summary>The serving layer's structured log events (message templates, so fields stay queryable).</summary>
internal static partial class ServingLog
{
    [LoggerMessage(2, LogLevel.Warning, "Model {Model}: {Warning}")]
    public static partial void TemplateFallback(ILogger log, string model, string warning);

    [LoggerMessage(3, LogLevel.Warning, "No API key is configured (Serving:ApiKeys, --api-key, or the admin console's API keys page): the API is open to anyone who can reach it")]
    public static partial void OpenAccess(ILogger log);

    // 4-6 were the per-request events; RequestLogs.RequestLogging writes one per request now

    [LoggerMessage(7, LogLevel.Error, "Request {Path} failed")]
    public static partial void Failed(ILogger log, Exception e, string path);

    [LoggerMessage(8, LogLevel.Warning, "Request queue is full ({Queued} waiting): refused client {Client}")]
    public static partial void QueueFull(ILogger log, int queued, string client);

    [LoggerMessage(9, LogLevel.Information, "Loaded chat model {Model} from {BaseModel} (adapter {Adapter}) on {Device}")]
    public static partial void ChatModelLoaded(ILogger log, string model, string baseModel, string adapter, string device);

    [LoggerMessage(10, LogLevel.Information, "Serving chat model {Model} (was {Previous}); answers already running finish on the version they started with")]
    public static partial void Swapped(ILogger log, string previous, string model);

    [LoggerMessage(11, LogLevel.Error, "Loading chat model {Model} failed; the served version is unchanged")]
    public static partial void SwapFailed(ILogger log, Exception e, string model);

    [LoggerMessage(12, LogLevel.Information, "Loaded embedding model {Model} on {Device}")]
    public static partial void EmbeddingModelLoaded(ILogger log, string model, string device);
}
