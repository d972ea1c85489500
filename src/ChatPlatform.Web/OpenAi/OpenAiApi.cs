using ChatPlatform.Web.Serving;

namespace ChatPlatform.Web.OpenAi;

/// <summary>The OpenAI-compatible routes under /v1, with OpenAI's error JSON and per-client rate limits.</summary>
public static class OpenAiApi
{
    public static WebApplication MapOpenAiApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/v1").AddEndpointFilter<OpenAiErrorFilter>().RequireRateLimiting(ServingRateLimits.Policy);
        v1.MapPost("/chat/completions", ChatCompletionEndpoint.HandleAsync);
        v1.MapGet("/models", ModelsEndpoint.List);
        v1.MapGet("/models/{id}", ModelsEndpoint.Get);
        v1.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync);
        v1.MapFallback(() => OpenAiError.Of(StatusCodes.Status404NotFound, "Unknown request URL: this server implements /v1/chat/completions, /v1/models and /v1/embeddings.",
            "invalid_request_error", code: "unknown_url"));
        return app;
    }
}
