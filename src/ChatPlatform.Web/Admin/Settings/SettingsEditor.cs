using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag;
using ChatPlatform.Web.Serving;
using ChatPlatform.Web.Widget;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace ChatPlatform.Web.Admin.Settings;

/// <summary>
/// Reads and changes the <see cref="EditableSettings"/>: the effective value of each with its source, and saving edits
/// into <see cref="SettingsFile"/> after the sections' own validators accept the resulting configuration (nothing is
/// written when one does not). A save reloads the configuration, so IOptionsMonitor readers see it at once; it is audited
/// (secrets as "set"/"cleared", never their value).
/// </summary>
public sealed class SettingsEditor(IConfiguration configuration, SettingsFile file, IDbContextFactory<PlatformDbContext> contexts)
{
    private readonly SemaphoreSlim saving = new(1, 1);
    private IConfigurationRoot Root => (IConfigurationRoot)configuration;

    public string FilePath => file.Path;

    public IReadOnlyList<SettingView> Describe()
    {
        var stored = file.Read();
        var providers = Root.Providers.ToList();
        var fileIndex = providers.FindIndex(file.Owns);
        return [.. EditableSettings.All.Select(setting =>
        {
            var probe = setting.Kind == SettingKind.Lines ? setting.Key + ":0" : setting.Key;
            var winner = providers.FindLastIndex(p => p.TryGet(probe, out var v) && v is not null);
            var value = setting.Kind == SettingKind.Lines
                ? string.Join('\n', configuration.GetSection(setting.Key).GetChildren().Select(c => c.Value).OfType<string>())
                : configuration[setting.Key];
            var isSet = !string.IsNullOrEmpty(value);
            var storedValue = setting.Kind == SettingKind.Lines ? StoredLines(stored, setting.Key) : stored.GetValueOrDefault(setting.Key);
            var overriddenBy = storedValue is not null && fileIndex >= 0 && winner > fileIndex ? Describe(providers[winner], setting.Key) : null;
            return new SettingView(setting, setting.Kind == SettingKind.Secret ? null : value, isSet,
                winner < 0 ? "default" : Describe(providers[winner], setting.Key),
                setting.Kind == SettingKind.Secret && storedValue is not null ? "" : storedValue, overriddenBy);
        })];
    }

    /// <summary>
    /// Applies <paramref name="changes"/> (key → new value; null or blank removes the key from settings.json, so the value
    /// falls back to appsettings.json or the default; a Lines value has one entry per line). Returns the validation
    /// errors, each naming its key; empty when saved.
    /// </summary>
    public async Task<IReadOnlyList<string>> SaveAsync(IReadOnlyDictionary<string, string?> changes, string actor, CancellationToken ct = default)
    {
        var errors = new List<string>();
        foreach (var key in changes.Keys.Where(k => EditableSettings.Find(k) is null)) errors.Add($"{key}: not a setting that can be edited here");
        foreach (var (key, value) in changes)
            if (EditableSettings.Find(key) is { Kind: SettingKind.WholeNumber } && !string.IsNullOrWhiteSpace(value) && !int.TryParse(value.Trim(), out _))
                errors.Add($"{key}: '{value}' is not a whole number");
        if (errors.Count > 0) return errors;

        await saving.WaitAsync(ct);
        try
        {
            var stored = file.Read();
            var next = new Dictionary<string, string>(stored, StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in changes)
            {
                var setting = EditableSettings.Find(key)!;
                foreach (var old in next.Keys.Where(k => IsKeyOrEntry(k, setting)).ToList()) next.Remove(old);
                if (string.IsNullOrWhiteSpace(value)) continue;
                if (setting.Kind == SettingKind.Lines)
                {
                    var lines = value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    for (var i = 0; i < lines.Length; i++) next[$"{setting.Key}:{i}"] = lines[i];
                }
                else next[setting.Key] = value.Trim();
            }
            errors.AddRange(Validate(Candidate(stored, next)));
            if (errors.Count > 0) return errors;

            file.Write(next);
            // Secrets live in this file: readable by the app's user only.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Root.Reload();
            var audited = changes.ToDictionary(kv => kv.Key, kv => EditableSettings.Find(kv.Key)!.Kind == SettingKind.Secret
                ? (string.IsNullOrWhiteSpace(kv.Value) ? "(cleared)" : "(set)")
                : string.IsNullOrWhiteSpace(kv.Value) ? "(default)" : kv.Value);
            await using var db = await contexts.CreateDbContextAsync(ct);
            await Audit.WriteAsync(db, actor, "settings.change", "settings", audited, ct);
            return [];
        }
        finally
        {
            saving.Release();
        }
    }

    private static bool IsKeyOrEntry(string key, EditableSetting setting) =>
        string.Equals(key, setting.Key, StringComparison.OrdinalIgnoreCase)
        || (setting.Kind == SettingKind.Lines && key.StartsWith(setting.Key + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The configuration as it would be with <paramref name="next"/> as settings.json: the current one with each changed
    /// key set to its new value, or, for a removed key, to the value of the sources below settings.json.
    /// </summary>
    private IConfiguration Candidate(Dictionary<string, string> stored, Dictionary<string, string> next)
    {
        var providers = Root.Providers.ToList();
        var fileIndex = providers.FindIndex(file.Owns);
        var below = fileIndex < 0 ? [] : providers.Take(fileIndex).ToList();
        var overlay = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in stored.Keys.Concat(next.Keys).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (next.TryGetValue(key, out var value)) overlay[key] = value;
            else overlay[key] = below.LastOrDefault(p => p.TryGet(key, out _)) is { } p && p.TryGet(key, out var fallback) ? fallback : null;
        }
        return new ConfigurationBuilder().AddConfiguration(configuration, shouldDisposeConfiguration: false).AddInMemoryCollection(overlay).Build();
    }

    /// <summary>The sections' own start-up validators over the candidate configuration.</summary>
    internal static IEnumerable<string> Validate(IConfiguration candidate)
    {
        var platform = candidate.GetSection(PlatformOptions.Section).Get<PlatformOptions>() ?? new PlatformOptions();
        if (platform.BaseModel is { Length: > 0 } baseModel && !File.Exists(Path.Combine(baseModel, "config.json")))
            yield return $"{PlatformOptions.Section}:BaseModel: '{baseModel}' is not a model folder (it has no config.json)";

        var serving = candidate.GetSection(ServingOptions.Section).Get<ServingOptions>() ?? new ServingOptions();
        // The full app runs without a configured model (it serves the active version, or passages): only `serve` requires one.
        if (new ServingOptionsValidator(requireModel: false).Validate(null, serving) is { Failed: true } servingResult)
            foreach (var f in servingResult.Failures) yield return f;
        var widget = candidate.GetSection(WidgetOptions.Section).Get<WidgetOptions>() ?? new WidgetOptions();
        if (new WidgetOptionsValidator().Validate(null, widget) is { Failed: true } w) foreach (var f in w.Failures) yield return f;
        var admin = candidate.GetSection(AdminOptions.Section).Get<AdminOptions>() ?? new AdminOptions();
        if (new AdminOptionsValidator().Validate(null, admin) is { Failed: true } a) foreach (var f in a.Failures) yield return f;

        var rag = candidate.GetSection(RagOptions.SectionName).Get<RagOptions>() ?? new RagOptions();
        string? ragError = null;
        try
        {
            rag.Validate();
        }
        catch (ArgumentException e)
        {
            ragError = e.Message;
        }
        if (ragError is not null) yield return ragError;

        var teacher = candidate.GetSection(TeacherSettings.Section).Get<TeacherSettings>() ?? new TeacherSettings();
        string? teacherError = null;
        if (teacher.Configured || !string.IsNullOrWhiteSpace(teacher.Model))
        {
            try
            {
                teacher.ToOptions();
            }
            catch (ArgumentException e)
            {
                teacherError = e.Message.StartsWith(TeacherSettings.Section, StringComparison.Ordinal) ? e.Message : $"{TeacherSettings.Section}: {e.Message}";
            }
        }
        if (teacherError is not null) yield return teacherError;

        var threads = candidate.GetSection(ThreadBudgets.Section).Get<ThreadBudgets>() ?? new ThreadBudgets();
        foreach (var problem in threads.Problems()) yield return problem;
    }

    private static string? StoredLines(Dictionary<string, string> stored, string key)
    {
        var lines = stored.Where(kv => kv.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).OrderBy(kv => int.TryParse(kv.Key[(key.Length + 1)..], out var i) ? i : int.MaxValue)
            .Select(kv => kv.Value).ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    private string Describe(IConfigurationProvider provider, string key) => provider switch
    {
        _ when file.Owns(provider) => $"{SettingsFile.FileName} (edited here)",
        EnvironmentVariablesConfigurationProvider => $"environment variable {key.Replace(":", "__", StringComparison.Ordinal)}",
        CommandLineConfigurationProvider => "command line",
        JsonConfigurationProvider json => json.Source.Path ?? "a JSON file",
        _ => "host settings",
    };
}
