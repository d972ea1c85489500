using System.CommandLine;

namespace ChatPlatform.Cli;

/// <summary>
/// `--data-dir`: where the platform keeps its SQLite database, indexes and runs. Every command that reads or writes
/// platform state takes it; the web app reads the same directory from its settings. Default `./data`.
/// </summary>
internal static class DataDirectoryOption
{
    public static Option<string> Create() => new("--data-dir")
    {
        Description = "The platform's data directory (database, indexes, runs).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CHATPLATFORM_DATA_DIR") is { Length: > 0 } d ? d : "data",
    };
}
