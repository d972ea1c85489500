using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json.Serialization;

namespace ChatPlatform.Web.OpenAi;

/// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(OpenAiError.Detail Error)
{
    public sealed record Detail(
        string Message,
        string Type,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);

    public static JsonHttpResult<OpenAiError> Of(int status, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(new OpenAiError(new Detail(message, type, param, code)), OpenAiJson.Options, statusCode: status);
}

/// <summary>A request the API refuses with an OpenAI error (status, type, the offending field).</summary>
public sealed class OpenAiException(int status, string message, string type = "invalid_request_error", string? param = null, string? code = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    public static OpenAiException InvalidField(string param, string message) => new(StatusCodes.Status400BadRequest, message, param: param);

    public static OpenAiException ModelNotFound(string model, string served) => new(StatusCodes.Status404NotFound,
        $"The model '{model}' does not exist; this server serves '{served}' (see GET /v1/models).", param: "model", code: "model_not_found");

    public static OpenAiException NoModel() => new(StatusCodes.Status503ServiceUnavailable,
        "No chat model is loaded on this server: an admin activates a model version on the Models page, or sets Serving:Model.",
        type: "server_error", code: "model_not_loaded");

    public JsonHttpResult<OpenAiError> ToResult() => OpenAiError.Of(Status, Message, Type, Param, Code);
}
