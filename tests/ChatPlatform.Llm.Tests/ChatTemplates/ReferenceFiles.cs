using System.Text.Json;

namespace ChatPlatform.Llm.Tests.ChatTemplates;

/// <summary>Locates the committed reference data (tests/ChatPlatform.Llm.Tests/ChatTemplates/reference) from the test binary.</summary>
internal static class ReferenceFiles
{
    private static readonly Lazy<string> Root = new(() => TestPaths.TestSource(Path.Combine("ChatTemplates", "reference")));

    public static string PathOf(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    public static JsonDocument ReadJson(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name)));
}
