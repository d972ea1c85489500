namespace ChatPlatform.Web.Serving;

public enum ModelState
{
    /// <summary>No chat model is configured or activated: chat answers with retrieved passages only.</summary>
    None,
    /// <summary>A version is loading; the one before it (if any) keeps serving meanwhile.</summary>
    Loading,
    Serving,
    /// <summary>The last load failed; the version before it (if any) keeps serving.</summary>
    Error,
}

/// <summary>What the served-version holder is doing: the version serving, the one loading, the last load's error.</summary>
public sealed record ModelStatus(ModelState State, ModelSpec? Serving, ModelSpec? Loading, string? Error, DateTimeOffset? Since);
