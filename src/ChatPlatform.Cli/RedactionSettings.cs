using System.Text.Json;
using ChatPlatform.Core.Redaction;

namespace ChatPlatform.Cli;

/// <summary>
/// `--settings FILE`: the "Redaction" section of an appsettings-style JSON file (see appsettings.example.json); without
/// it every detector is on with the default placeholders.
/// </summary>
internal static class RedactionSettings
{
    public static RedactionOptions Load(string? settingsFile)
    {
        if (settingsFile is null) return new RedactionOptions();
        if (!File.Exists(settingsFile)) throw new FileNotFoundException($"--settings: {settingsFile} does not exist");
        using var doc = JsonDocument.Parse(File.ReadAllText(settingsFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!doc.RootElement.TryGetProperty(RedactionOptions.Section, out var section)) return new RedactionOptions();
        try
        {
            return section.Deserialize<RedactionOptions>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true, UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow })
                   ?? new RedactionOptions();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{settingsFile}: {RedactionOptions.Section}: {e.Message}", e);
        }
    }
}
