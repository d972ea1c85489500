using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin;

/// <summary>
/// The "Platform" section: where the platform keeps its state (DATA_DIR/chatplatform.db, DATA_DIR/knowledge.db,
/// uploads), the same directory the command line's --data-dir names. Relative paths are against the working directory.
/// </summary>
public sealed class PlatformOptions
{
    public const string Section = "Platform";

    public string DataDirectory { get; set; } = "data";

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>Where uploaded knowledge files are kept; the index refers to them for re-indexing.</summary>
    public string KnowledgeUploads => Path.Combine(FullDataDirectory, "knowledge-uploads");
}

internal sealed class PlatformOptionsValidator : IValidateOptions<PlatformOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformOptions o) =>
        string.IsNullOrWhiteSpace(o.DataDirectory)
            ? ValidateOptionsResult.Fail($"{PlatformOptions.Section}:DataDirectory: must not be empty")
            : ValidateOptionsResult.Success;
}
