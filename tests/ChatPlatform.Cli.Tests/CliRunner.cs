using System.Diagnostics;

namespace ChatPlatform.Cli.Tests;

/// <summary>Runs the built `chatplatform` as a user would (a separate process) and captures its output.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chatplatform.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A model folder from ../shared/models, or a skipped test when this machine does not have it.</summary>
    public static string SharedModel(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChatPlatform.sln"))) dir = dir.Parent;
        var folder = dir is null ? null : Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "models", name));
        if (folder is null || !Directory.Exists(folder)) Assert.Skip($"../shared/models/{name} is not on this machine");
        return folder;
    }
}
