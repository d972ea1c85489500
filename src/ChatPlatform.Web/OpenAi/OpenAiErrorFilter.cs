using Microsoft.AspNetCore.Http.HttpResults;
using ChatPlatform.Llm.ChatTemplates;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Web.Serving;

namespace ChatPlatform.Web.OpenAi;

/// <summary>Turns what a /v1 handler throws into OpenAI's error JSON with the right status.</summary>
internal sealed class OpenAiErrorFilter(ILogger<OpenAiErrorFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;  // the client left: nobody to answer
        }
        catch (Exception e) when (Map(e) is { } error)
        {
            if (e is QueueFullException) ServingLog.QueueFull(log, ((QueueFullException)e).Queued, ClientIdentity.Of(http));
            return error;
        }
        catch (Exception e)
        {
            ServingLog.Failed(log, e, http.Request.Path);
            return OpenAiError.Of(StatusCodes.Status500InternalServerError, "The server had an error while processing your request.", "server_error");
        }
    }

    public static JsonHttpResult<OpenAiError>? Map(Exception e) => e switch
    {
        OpenAiException o => o.ToResult(),
        ContextLengthException c => OpenAiError.Of(StatusCodes.Status400BadRequest,
            $"This model's maximum context length is {c.ContextLength} tokens and the messages take {c.PromptTokens}; shorten them.",
            "invalid_request_error", "messages", "context_length_exceeded"),
        ChatTemplateException t => OpenAiError.Of(StatusCodes.Status400BadRequest,
            $"The model's chat template refused the messages: {t.Message}", "invalid_request_error", "messages"),
        QueueFullException q => OpenAiError.Of(StatusCodes.Status503ServiceUnavailable, q.Message, "server_error", code: "overloaded"),
        RequestTimeoutException t => OpenAiError.Of(StatusCodes.Status504GatewayTimeout, t.Message, "server_error", code: "timeout"),
        _ => null,
    };
}

/// <summary>A request ran past Serving:RequestTimeoutSeconds (queue wait included).</summary>
public sealed class RequestTimeoutException(int seconds)
    : Exception($"The request did not finish within {seconds} s (Serving:RequestTimeoutSeconds).");
