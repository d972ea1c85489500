namespace ChatPlatform.Web.Serving;

/// <summary>A registered model version as serving sees it: what to load, when it was registered, whether it is the active one.</summary>
public sealed record CatalogedModel(ModelSpec Spec, DateTimeOffset CreatedAt, bool IsActive);

/// <summary>
/// The registered model versions (the admin console's database), for what serving needs of them: the active version
/// to serve at start-up and the list /v1/models shows. `chatplatform serve` has none and serves Serving:Model.
/// </summary>
public interface IModelVersionCatalog
{
    Task<IReadOnlyList<CatalogedModel>> ListAsync(CancellationToken ct = default);
}
