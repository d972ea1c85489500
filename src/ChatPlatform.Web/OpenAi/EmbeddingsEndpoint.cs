using System.Runtime.InteropServices;
using System.Text.Json;
using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPlatform.Web.OpenAi;

/// <summary>POST /v1/embeddings over the configured sentence-embedding model (Serving:EmbeddingModel).</summary>
internal static class EmbeddingsEndpoint
{
    private const int MaxInputs = 2048;

    public sealed record EmbeddingItem(int Index, object Embedding)
    {
        public string Object => "embedding";
    }

    public sealed record EmbeddingUsage(int PromptTokens, int TotalTokens);

    public sealed record EmbeddingList(IReadOnlyList<EmbeddingItem> Data, string Model, EmbeddingUsage Usage)
    {
        public string Object => "list";
    }

    public static async Task<JsonHttpResult<EmbeddingList>> HandleAsync(HttpContext http, ServedEmbeddings models)
    {
        string model;
        List<string> inputs;
        bool base64;
        long? dimensions;
        using (var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted))
        {
            var root = body.RootElement;
            model = root.RequiredString("model", "model");
            inputs = ParseInput(root);
            base64 = root.Field("encoding_format") is { } f
                ? RequestBody.String(f, "encoding_format") switch
                {
                    "float" => false,
                    "base64" => true,
                    var other => throw OpenAiException.InvalidField("encoding_format", $"'encoding_format' must be 'float' or 'base64', not '{other}'."),
                }
                : false;
            dimensions = root.OptionalInteger("dimensions", 1);
        }
        if (models.Generator is not { } generator || model != models.ModelId)
            throw new OpenAiException(StatusCodes.Status404NotFound, models.ModelId is null
                ? $"The model '{model}' does not exist: no embedding model is configured (Serving:EmbeddingModel or --embedding-model)."
                : $"The model '{model}' does not exist; the embedding model here is '{models.ModelId}'.", param: "model", code: "model_not_found");

        if (dimensions is { } d && d != models.Dimensions)
            throw OpenAiException.InvalidField("dimensions", $"'dimensions' must be {models.Dimensions} or left out: {model} does not shorten its embeddings.");
        var embeddings = await generator.GenerateAsync(inputs, cancellationToken: http.RequestAborted);
        var tokens = (int)(embeddings.Usage?.InputTokenCount ?? 0);
        var data = embeddings.Select((e, i) => new EmbeddingItem(i, base64
            ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span))  // little-endian float32, as OpenAI encodes it
            : e.Vector.ToArray())).ToList();
        if (RequestLogs.RequestLogEntry.Current is { } entry) (entry.Model, entry.PromptTokens) = (model, tokens);
        return TypedResults.Json(new EmbeddingList(data, model, new EmbeddingUsage(tokens, tokens)), OpenAiJson.Options);
    }

    private static List<string> ParseInput(JsonElement root)
    {
        if (root.Field("input") is not { } input) throw OpenAiException.InvalidField("input", "'input' is a required property.");
        if (input.ValueKind == JsonValueKind.String) return [input.GetString()!];
        if (input.ValueKind != JsonValueKind.Array)
            throw OpenAiException.InvalidField("input", $"'input' must be a string or an array of strings, not {RequestBody.Describe(input)}.");
        var n = input.GetArrayLength();
        if (n == 0) throw OpenAiException.InvalidField("input", "'input' must not be an empty array.");
        if (n > MaxInputs) throw OpenAiException.InvalidField("input", $"'input' may hold at most {MaxInputs} texts, not {n}.");
        return input.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()!
            : throw OpenAiException.InvalidField($"input[{i}]", $"'input[{i}]' must be a string (token-id inputs are not supported), not {RequestBody.Describe(e)}.")).ToList();
    }
}
