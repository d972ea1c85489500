using System.Text.Json;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// Retrieval over the knowledge base, asked for by a /v1 chat completion in either of two ways: the model name with the
/// suffix <c>+rag</c> (<c>"model": "NAME+rag"</c>, for clients that cannot add fields), or the extension field
/// <c>"retrieval": true</c> / <c>{"top_k": N}</c>. <c>"retrieval": false</c> with a plain model name is the default.
/// </summary>
internal sealed record RetrievalRequest(int TopK)
{
    public const string ModelSuffix = "+rag";
    public const int DefaultTopK = 5;
    public const int MaxTopK = 20;

    /// <summary>The served model's name without the suffix, and the retrieval asked for (null when none).</summary>
    public static (string Model, RetrievalRequest? Retrieval) Parse(JsonElement body, string model)
    {
        var bySuffix = model.EndsWith(ModelSuffix, StringComparison.Ordinal);
        if (bySuffix) model = model[..^ModelSuffix.Length];
        RetrievalRequest? byField = null;
        switch (body.Field("retrieval"))
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.True }:
                byField = new RetrievalRequest(DefaultTopK);
                break;
            case { ValueKind: JsonValueKind.False }:
                if (bySuffix)
                    throw OpenAiException.InvalidField("retrieval", $"'retrieval' is false but the model name '{model}{ModelSuffix}' asks for retrieval; drop one.");
                break;
            case { ValueKind: JsonValueKind.Object } o:
                byField = new RetrievalRequest(ParseTopK(o));
                break;
            case var other:
                throw OpenAiException.InvalidField("retrieval",
                    $"'retrieval' must be a boolean or an object such as {{\"top_k\": 5}}, not {RequestBody.Describe(other.Value)}.");
        }
        return (model, byField ?? (bySuffix ? new RetrievalRequest(DefaultTopK) : null));
    }

    private static int ParseTopK(JsonElement retrieval)
    {
        const string path = "retrieval.top_k";
        foreach (var p in retrieval.EnumerateObject())
            if (p.Name != "top_k") throw OpenAiException.InvalidField($"retrieval.{p.Name}", $"'retrieval.{p.Name}' is not a known retrieval option (top_k is).");
        if (retrieval.Field("top_k") is not { } v) return DefaultTopK;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var k))
            throw OpenAiException.InvalidField(path, $"'{path}' must be an integer, not {RequestBody.Describe(v)}.");
        if (k is < 1 or > MaxTopK) throw OpenAiException.InvalidField(path, $"'{path}' must be at least 1 and at most {MaxTopK}, not {k}.");
        return k;
    }
}
