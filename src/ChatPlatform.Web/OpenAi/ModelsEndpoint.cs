using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ChatPlatform.Web.OpenAi;

/// <summary>
/// GET /v1/models and /v1/models/{id}: the chat version served now (also as NAME+rag, answering over the knowledge base),
/// every registered version (active or stored; only the served one answers completions), and the embedding model.
/// </summary>
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

    public static async Task<JsonHttpResult<ModelList>> List(IServiceProvider services, CancellationToken ct) =>
        TypedResults.Json(new ModelList(await AllAsync(services, ct)), OpenAiJson.Options);

    public static async Task<JsonHttpResult<Model>> Get(string id, IServiceProvider services, CancellationToken ct) =>
        (await AllAsync(services, ct)).FirstOrDefault(m => m.Id == id) is { } model
            ? TypedResults.Json(model, OpenAiJson.Options)
            : throw OpenAiException.ModelNotFound(id, services.GetRequiredService<ServedModel>().Current?.Id ?? "no model");

    private static async Task<List<Model>> AllAsync(IServiceProvider services, CancellationToken ct)
    {
        var list = new List<Model>();
        using (var lease = services.GetRequiredService<ServedModel>().TryLease())
            if (lease is not null)
            {
                list.Add(new Model(lease.Id, lease.LoadedAt.ToUnixTimeSeconds(), "chatplatform"));
                // the same version answering over the knowledge base (RetrievalRequest)
                list.Add(new Model(lease.Id + RetrievalRequest.ModelSuffix, lease.LoadedAt.ToUnixTimeSeconds(), "chatplatform"));
            }
        if (services.GetService<IModelVersionCatalog>() is { } catalog)
            foreach (var version in await catalog.ListAsync(ct))
                if (list.All(m => m.Id != version.Spec.Id))
                    list.Add(new Model(version.Spec.Id, version.CreatedAt.ToUnixTimeSeconds(), "chatplatform"));
        var embeddings = services.GetRequiredService<ServedEmbeddings>();
        if (embeddings.ModelId is { } embedding) list.Add(new Model(embedding, embeddings.LoadedAt.ToUnixTimeSeconds(), "chatplatform"));
        return list;
    }
}
