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

    public static JsonHttpResult<ModelList> List(ServedModels models, HttpContext http) => TypedResults.Json(new ModelList(All(models, http)), OpenAiJson.Options);

    public static JsonHttpResult<Model> Get(string id, ServedModels models, HttpContext http) =>
        All(models, http).FirstOrDefault(m => m.Id == id) is { } model
            ? TypedResults.Json(model, OpenAiJson.Options)
            : throw OpenAiException.ModelNotFound(id, models.ChatModelId);

    /// <summary>The chat model, its retrieval-grounded name (NAME+rag) where a knowledge base is at hand, and the embedding model.</summary>
    private static List<Model> All(ServedModels models, HttpContext http)
    {
        var created = models.LoadedAt.ToUnixTimeSeconds();
        var list = new List<Model> { new(models.ChatModelId, created, "chatplatform") };
        if (http.RequestServices.GetService<Rag.Indexing.KnowledgeStore>() is not null)
            list.Add(new Model(models.ChatModelId + RetrievalRequest.ModelSuffix, created, "chatplatform"));
        if (models.EmbeddingModelId is { } embedding) list.Add(new Model(embedding, created, "chatplatform"));
        return list;
    }
}
