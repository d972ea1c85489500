namespace ChatPlatform.Web.Serving;

/// <summary>
/// A chat model version to load: a Hugging Face base folder, optionally a PEFT adapter over it. <see cref="Id"/> is the
/// name clients send as "model" (a registered version's name, or Serving:ModelName / the folder's name);
/// <see cref="VersionId"/> is the registered version it comes from, null for a model named in configuration or a bare base.
/// </summary>
public sealed record ModelSpec(string Id, string BaseModelPath, string? AdapterPath, long? VersionId = null)
{
    /// <summary>Two specs load the same weights when their folders match (the name is only a label).</summary>
    public bool SameWeightsAs(ModelSpec other) =>
        SamePath(BaseModelPath, other.BaseModelPath) && (AdapterPath is null ? other.AdapterPath is null : other.AdapterPath is not null && SamePath(AdapterPath, other.AdapterPath));

    public override string ToString() => AdapterPath is null ? $"{Id} ({BaseModelPath})" : $"{Id} ({BaseModelPath} + {AdapterPath})";

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);
}
