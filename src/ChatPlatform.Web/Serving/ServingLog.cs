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

    [LoggerMessage(4, LogLevel.Information,
        "Completion {RequestId} model {Model} client {Client}: {PromptTokens} prompt + {CompletionTokens} completion tokens, finish {FinishReason}, stream {Stream}, {DurationMs} ms")]
    public static partial void Completed(ILogger log, string requestId, string model, string client, int promptTokens, int completionTokens,
        string finishReason, bool stream, long durationMs);

    [LoggerMessage(5, LogLevel.Information, "Completion {RequestId} model {Model} client {Client} ended early ({Reason}) after {DurationMs} ms")]
    public static partial void Abandoned(ILogger log, string requestId, string model, string client, string reason, long durationMs);

    [LoggerMessage(6, LogLevel.Information, "Embeddings {RequestId} model {Model} client {Client}: {Inputs} inputs, {PromptTokens} tokens, {DurationMs} ms")]
    public static partial void Embedded(ILogger log, string requestId, string model, string client, int inputs, int promptTokens, long durationMs);

    [LoggerMessage(7, LogLevel.Error, "Request {Path} failed")]
    public static partial void Failed(ILogger log, Exception e, string path);

    [LoggerMessage(8, LogLevel.Warning, "Request queue is full ({Queued} waiting): refused client {Client}")]
    public static partial void QueueFull(ILogger log, int queued, string client);
}
