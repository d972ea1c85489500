namespace ChatPlatform.Web.Admin.Settings;

/// <summary>
/// One setting as the Settings page shows it: the effective value (never a secret's), where it comes from, what
/// settings.json holds for it, and the higher source (an environment variable, the command line) that overrides that.
/// </summary>
public sealed record SettingView(EditableSetting Setting, string? EffectiveValue, bool IsSet, string Source, string? StoredValue,
    string? OverriddenBy)
{
    public bool IsStored => StoredValue is not null;
}
