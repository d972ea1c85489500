using System.Text.Json;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// Reads a JSON request body field by field, so each wrong value is a 400 that names its field
/// ("messages[2].content", "temperature") instead of a generic binding failure.
/// </summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
            throw new OpenAiException(StatusCodes.Status400BadRequest, "The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new OpenAiException(StatusCodes.Status400BadRequest, $"We could not parse the JSON body of your request: {e.Message}");
        }
    }

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    public static JsonElement? Field(this JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string RequiredString(this JsonElement obj, string name, string path) =>
        obj.Field(name) is { } v ? String(v, path) : throw OpenAiException.InvalidField(path, $"'{path}' is a required property.");

    public static string String(JsonElement v, string path) => v.ValueKind == JsonValueKind.String
        ? v.GetString()!
        : throw OpenAiException.InvalidField(path, $"'{path}' must be a string, not {Describe(v)}.");

    public static bool? OptionalBool(this JsonElement obj, string name, string? path = null) => obj.Field(name) is not { } v ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean()
        : throw OpenAiException.InvalidField(path ?? name, $"'{path ?? name}' must be a boolean, not {Describe(v)}.");

    public static double? OptionalNumber(this JsonElement obj, string name, double min, double max, bool minExclusive = false)
    {
        if (obj.Field(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x))
            throw OpenAiException.InvalidField(name, $"'{name}' must be a number, not {Describe(v)}.");
        if (x < min || x > max || (minExclusive && x == min))
            throw OpenAiException.InvalidField(name, $"'{name}' must be {(minExclusive ? "greater than" : "at least")} {min} and at most {max}, not {x}.");
        return x;
    }

    public static long? OptionalInteger(this JsonElement obj, string name, long min, long max = long.MaxValue)
    {
        if (obj.Field(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var x))
            throw OpenAiException.InvalidField(name, $"'{name}' must be an integer, not {Describe(v)}.");
        if (x < min || x > max) throw OpenAiException.InvalidField(name, $"'{name}' must be at least {min}{(max == long.MaxValue ? "" : $" and at most {max}")}, not {x}.");
        return x;
    }

    public static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
