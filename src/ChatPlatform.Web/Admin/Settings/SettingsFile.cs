using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPlatform.Llm.IO;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace ChatPlatform.Web.Admin.Settings;

/// <summary>
/// DATA_DIR/settings.json: the values admins edit on the Settings page, as nested JSON like appsettings.json. It is a
/// configuration source above appsettings*.json and below environment variables and the command line, so an
/// environment variable still overrides an edited value. Written atomically; a missing file is no settings.
/// </summary>
public sealed class SettingsFile(string path)
{
    public const string FileName = "settings.json";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>
    /// Inserts the data directory's settings file into the builder's configuration just below the environment
    /// variables (at the end when there are none). The data directory is the one configured so far.
    /// </summary>
    public static SettingsFile AddTo(ConfigurationManager configuration)
    {
        var dataDirectory = configuration[$"{PlatformOptions.Section}:{nameof(PlatformOptions.DataDirectory)}"] is { Length: > 0 } d ? d : new PlatformOptions().DataDirectory;
        var file = new SettingsFile(System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), FileName));
        var source = new JsonConfigurationSource { Path = file.Path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        var sources = configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        if (index < 0) sources.Add(source);
        else sources.Insert(index, source);
        return file;
    }

    /// <summary>Whether a configuration provider is this file's.</summary>
    public bool Owns(IConfigurationProvider provider) =>
        provider is JsonConfigurationProvider json && json.Source.FileProvider is { } files && json.Source.Path is { } p
        && files.GetFileInfo(p).PhysicalPath is { } physical && string.Equals(System.IO.Path.GetFullPath(physical), Path, StringComparison.Ordinal);

    /// <summary>The file's values as configuration keys ("Serving:Model", "Widget:Sites:0:AllowedOrigins:1").</summary>
    public Dictionary<string, string> Read()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(Path)) return values;
        var root = JsonNode.Parse(File.ReadAllText(Path));
        Flatten(root, null, values);
        return values;
    }

    /// <summary>Replaces the file with exactly these values (keys with a numeric segment become JSON arrays).</summary>
    public void Write(IReadOnlyDictionary<string, string> values)
    {
        var root = new JsonObject();
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)) Set(root, key.Split(':'), value);
        AtomicFile.WriteAllText(Path, ToArrays(root)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void Flatten(JsonNode? node, string? prefix, Dictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o) Flatten(child, prefix is null ? name : $"{prefix}:{name}", values);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Flatten(a[i], $"{prefix}:{i}", values);
                break;
            case JsonValue v when prefix is not null:
                values[prefix] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                break;
        }
    }

    private static void Set(JsonObject root, string[] path, string value)
    {
        var node = root;
        foreach (var segment in path[..^1])
        {
            if (node[segment] is not JsonObject child) node[segment] = child = [];
            node = child;
        }
        node[path[^1]] = value;
    }

    /// <summary>Objects whose keys are exactly 0..n-1 become arrays, as the configuration binder reads either the same way.</summary>
    private static JsonNode? ToArrays(JsonNode? node)
    {
        if (node is not JsonObject o) return node?.DeepClone();
        var children = o.Select(kv => (kv.Key, Value: ToArrays(kv.Value))).ToList();
        if (children.Count > 0 && children.Select(c => c.Key).Order().SequenceEqual(Enumerable.Range(0, children.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order()))
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(c => c.Value)]);
        var result = new JsonObject();
        foreach (var (key, value) in children) result[key] = value;
        return result;
    }
}
