using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatPlatform.Web.OpenAi;

/// <summary>OpenAI's wire format: snake_case names, absent optional fields left out.</summary>
internal static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // JSON API responses are not HTML: quotes and apostrophes in generated text stay readable, as OpenAI sends them
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
