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

    /// <summary>
    /// The Hugging Face model folder that Retrain fine-tunes; <c>Serving:Model</c> when unset (the registration fills it
    /// in). No base model: the Training page says so and cannot start a run.
    /// </summary>
    public string? BaseModel { get; set; }

    /// <summary>Where training runs write their data, checkpoints, adapter and manifest: DATA_DIR/runs/ID.</summary>
    public string RunsDirectory => Path.Combine(FullDataDirectory, "runs");

    /// <summary>Where uploaded support logs are kept while (and after) they are imported.</summary>
    public string LogUploads => Path.Combine(FullDataDirectory, "log-uploads");

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
