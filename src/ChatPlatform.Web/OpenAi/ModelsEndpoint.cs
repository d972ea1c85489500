using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPlatform.Web.OpenAi;

/// <summary>GET /v1/models and /v1/models/{id}: the models this process has loaded.</summary>
internal static class ModelsEndpoint
{
    public sealed record Model(string Id, long Created, string OwnedBy)
    {
        public string Object => "model";
    }

    public sealed record ModelList(IReadOnlyList<Model> Data)
    {
        public string Object => "list";
    }

    public static JsonHttpResult<ModelList> List(ServedModels models) => TypedResults.Json(new ModelList(All(models)), OpenAiJson.Options);

    public static JsonHttpResult<Model> Get(string id, ServedModels models) =>
        All(models).FirstOrDefault(m => m.Id == id) is { } model
            ? TypedResults.Json(model, OpenAiJson.Options)
            : throw OpenAiException.ModelNotFound(id, models.ChatModelId);

    private static List<Model> All(ServedModels models)
    {
        var created = models.LoadedAt.ToUnixTimeSeconds();
        var list = new List<Model> { new(models.ChatModelId, created, "chatplatform") };
        if (models.EmbeddingModelId is { } embedding) list.Add(new Model(embedding, created, "chatplatform"));
        return list;
    }
}
