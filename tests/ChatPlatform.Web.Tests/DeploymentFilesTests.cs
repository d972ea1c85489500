using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// No Docker engine runs here, so the deployment files are checked as files: docker-compose.yml (CPU) and
/// docker-compose.gpu.yml (its GPU override) have the services, ports and volumes the README promises, every
/// <c>Section__Key</c> variable they give the app names a real setting, the Dockerfile has a stage for each
/// TORCH_VARIANT, and appsettings.example.json documents every setting and nothing else.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static string Root => TestPaths.RepositoryRoot;

    [Fact]
    public void ComposeRunsTheAppBesideQdrantWithVolumesForDataAndModels()
    {
        var compose = Yaml("docker-compose.yml");
        var services = compose.GetProperty("services");
        Assert.Equal(["app", "qdrant"], services.EnumerateObject().Select(p => p.Name).Order());

        var qdrant = services.GetProperty("qdrant");
        Assert.StartsWith("qdrant/qdrant:", qdrant.GetProperty("image").GetString());
        var ports = Strings(qdrant.GetProperty("ports"));
        Assert.Contains("6333:6333", ports);
        Assert.Contains("6334:6334", ports);
        Assert.Contains(Strings(qdrant.GetProperty("volumes")), v => v.EndsWith(":/qdrant/storage", StringComparison.Ordinal));

        var app = services.GetProperty("app");
        var env = Environment(app);
        var volumes = Strings(app.GetProperty("volumes"));
        var dataDirectory = env["Platform__DataDirectory"];
        Assert.Contains(volumes, v => v.Split(':')[1] == dataDirectory);
        var model = env["Serving__Model"];
        Assert.Contains(volumes, v => v.Split(':') is [_, var target, ..] && model.StartsWith(target + "/", StringComparison.Ordinal));
        Assert.Equal("http://qdrant:6333", env["Rag__Qdrant__Url"]);
        var named = compose.GetProperty("volumes").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var source in volumes.Concat(Strings(qdrant.GetProperty("volumes"))).Select(v => v.Split(':')[0]).Where(s => !s.StartsWith('.')))
            Assert.Contains(source, named);
        Assert.Contains("qdrant", Strings(app.GetProperty("depends_on")));
    }

    [Fact]
    public void TheGpuOverrideReservesNvidiaGpusAndBuildsTheCudaVariant()
    {
        var app = Yaml("docker-compose.gpu.yml").GetProperty("services").GetProperty("app");
        Assert.Equal("cuda", Environment(app)["Serving__Device"]);
        var device = Assert.Single(app.GetProperty("deploy").GetProperty("resources").GetProperty("reservations").GetProperty("devices").EnumerateArray());
        Assert.Equal("nvidia", device.GetProperty("driver").GetString());
        Assert.Contains("gpu", Strings(device.GetProperty("capabilities")));
        var args = app.GetProperty("build").GetProperty("args");
        Assert.Equal("cuda", args.GetProperty("TORCH_VARIANT").GetString());
        Assert.Contains("libtorch", args.GetProperty("LIBTORCH_URL").GetString());

        // the Dockerfile picks its stages by TORCH_VARIANT: each variant needs a libtorch stage and a runtime stage
        var dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var stages = StageName().Matches(dockerfile).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("FROM libtorch-${TORCH_VARIANT} AS build", dockerfile);
        Assert.Contains("FROM runtime-${TORCH_VARIANT}", dockerfile);
        Assert.Matches(new Regex(@"^ARG TORCH_VARIANT=cpu$", RegexOptions.Multiline), dockerfile);
        foreach (var variant in new[] { "cpu", "cuda" })
        {
            Assert.Contains($"libtorch-{variant}", stages);
            Assert.Contains($"runtime-{variant}", stages);
        }
        Assert.Matches(new Regex(@"^ARG LIBTORCH_URL=", RegexOptions.Multiline), dockerfile);
    }

    [Theory]
    [InlineData("docker-compose.yml")]
    [InlineData("docker-compose.gpu.yml")]
    public void EverySettingTheComposeFileGivesTheAppExists(string file)
    {
        var env = Environment(Yaml(file).GetProperty("services").GetProperty("app"));
        var settings = env.Keys.Where(k => k.Contains("__")).ToList();
        Assert.NotEmpty(settings);
        Assert.Empty(settings.Select(k => SettingsCatalog.Problem(k.Replace("__", ":"))).OfType<string>());
    }

    [Fact]
    public void TheResolverTellsRealSettingsFromMisspelledOnes()
    {
        Assert.Null(SettingsCatalog.Problem("Serving:ApiKeys:0"));
        Assert.Null(SettingsCatalog.Problem("widget:sites:0:allowedOrigins:1"));
        Assert.Null(SettingsCatalog.Problem("Redaction:CustomPatterns:ORDER"));
        Assert.Null(SettingsCatalog.Problem("Rag:Qdrant:ApiKey"));
        Assert.Contains("has no setting 'Modell'", SettingsCatalog.Problem("Serving:Modell"));
        Assert.Contains("not a settings section", SettingsCatalog.Problem("Engine:Device"));
        Assert.Contains("single value", SettingsCatalog.Problem("Serving:Device:Name"));
    }

    [Theory]
    [InlineData("appsettings.example.json", true)]
    [InlineData("src/ChatPlatform.Web/appsettings.json", false)]
    public void SettingsFilesNameOnlyRealSettingsAndTheExampleDocumentsThemAll(string file, bool complete)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, file)));
        var problems = new List<string>();
        foreach (var section in doc.RootElement.EnumerateObject())
        {
            if (section.Name is "Logging" or "AllowedHosts") continue;  // ASP.NET Core's own
            foreach (var key in Keys(section.Value, section.Name)) problems.AddRange(SettingsCatalog.Problem(key) is { } p ? [p] : []);
        }
        if (complete)
            foreach (var (name, type) in SettingsCatalog.Sections)
                problems.AddRange(doc.RootElement.TryGetProperty(name, out var section) ? Missing(section, type, name) : [$"no '{name}' section"]);
        Assert.True(problems.Count == 0, $"{file}:\n" + string.Join("\n", problems));
    }

    /// <summary>Settings of <paramref name="type"/> that <paramref name="json"/> leaves out (list elements checked on the first).</summary>
    private static IEnumerable<string> Missing(JsonElement json, Type type, string path)
    {
        foreach (var property in SettingsCatalog.Settable(type))
        {
            var key = $"{path}:{property.Name}";
            if (!json.TryGetProperty(property.Name, out var value))
            {
                yield return $"{key} is not documented";
                continue;
            }
            var t = property.PropertyType;
            if (SettingsCatalog.IsLeaf(t) || SettingsCatalog.IsDictionary(t)) continue;
            if (SettingsCatalog.ElementType(t) is { } element)
            {
                if (SettingsCatalog.IsLeaf(element)) continue;
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0) yield return $"{key}: give one example element";
                else foreach (var m in Missing(value[0], element, key + ":0")) yield return m;
            }
            else if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var m in Missing(value, t, key)) yield return m;
            }
        }
    }

    /// <summary>Every leaf key under a JSON value, as configuration names it (Section:Key:0:Sub).</summary>
    private static IEnumerable<string> Keys(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().SelectMany(p => Keys(p.Value, $"{path}:{p.Name}")).DefaultIfEmpty(path),
        JsonValueKind.Array => value.EnumerateArray().SelectMany((e, i) => Keys(e, $"{path}:{i}")).DefaultIfEmpty(path),
        _ => [path],
    };

    /// <summary>The file as JSON, read by PyYAML (python3-yaml, installed by scripts/setup.sh).</summary>
    private static JsonElement Yaml(string file)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", Path.Combine(Root, file) })
            start.ArgumentList.Add(a);
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEnd();
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"{file}: {error}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>A service's environment, whether written as a mapping or as a list of NAME=value.</summary>
    private static Dictionary<string, string> Environment(JsonElement service)
    {
        var env = service.GetProperty("environment");
        return env.ValueKind == JsonValueKind.Object
            ? env.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
            : env.EnumerateArray().Select(e => e.GetString()!.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.ToString()).ToList();

    [GeneratedRegex(@"^FROM\s+\S+\s+AS\s+(\S+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex StageName();
}
