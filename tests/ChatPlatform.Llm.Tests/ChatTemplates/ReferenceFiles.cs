using System.Text.Json;

namespace ChatPlatform.Llm.Tests.ChatTemplates;

/// <summary>Locates the committed reference data (tests/ChatPlatform.Llm.Tests/ChatTemplates/reference) from the test binary.</summary>
internal static class ReferenceFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "ChatPlatform.Llm.Tests", "ChatTemplates", "reference");
            if (Directory.Exists(candidate))
                return candidate;
            candidate = Path.Combine(dir.FullName, "ChatTemplates", "reference");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "cases.json")))
                return candidate;
        }
        throw new DirectoryNotFoundException($"ChatTemplates/reference not found above {AppContext.BaseDirectory}");
    });

    public static string PathOf(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    public static JsonDocument ReadJson(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name)));
}
