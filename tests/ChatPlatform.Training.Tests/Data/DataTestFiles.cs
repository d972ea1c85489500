using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using ChatPlatform.Llm.ChatTemplates;
using ChatPlatform.Llm.Tokenization;

namespace ChatPlatform.Training.Tests.Data;

/// <summary>
/// Real tokenizers and chat templates for the data tests, read from the Llm test project's committed reference
/// folders (Hugging Face's own files, see tests/ChatPlatform.Llm.Tests/*/reference/README.md).
/// </summary>
internal static class DataTestFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatPlatform.sln"))) return dir.FullName;
        throw new InvalidOperationException("ChatPlatform.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly ConcurrentDictionary<string, Lazy<string>> Folders = new();

    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared folder beside the repository (../shared: real checkpoints).</summary>
    public static string SharedDir => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    private static string TokenizerReference => Path.Combine(RepositoryRoot, "tests", "ChatPlatform.Llm.Tests", "Tokenization", "reference");

    private static string TemplateReference => Path.Combine(RepositoryRoot, "tests", "ChatPlatform.Llm.Tests", "ChatTemplates", "reference", "templates");

    /// <summary>
    /// A model-like folder (tokenizer.json un-gzipped, plus a tokenizer_config.json) under the test binaries.
    /// <paramref name="configFrom"/> is the reference folder whose tokenizer_config.json to use (default: the same).
    /// </summary>
    public static string TokenizerFolder(string tokenizerFrom, string? configFrom = null) =>
        Folders.GetOrAdd($"{tokenizerFrom}+{configFrom}", _ => new Lazy<string>(() =>
        {
            var target = Path.Combine(AppContext.BaseDirectory, "sft-tokenizers", configFrom is null ? tokenizerFrom : $"{tokenizerFrom}+{configFrom}");
            Directory.CreateDirectory(target);
            var json = Path.Combine(TokenizerReference, tokenizerFrom, "tokenizer.json");
            if (File.Exists(json))
            {
                File.Copy(json, Path.Combine(target, "tokenizer.json"), overwrite: true);
            }
            else
            {
                using var gz = new GZipStream(File.OpenRead(json + ".gz"), CompressionMode.Decompress);
                using var output = File.Create(Path.Combine(target, "tokenizer.json"));
                gz.CopyTo(output);
            }
            File.Copy(Path.Combine(TokenizerReference, configFrom ?? tokenizerFrom, "tokenizer_config.json"), Path.Combine(target, "tokenizer_config.json"), overwrite: true);
            return target;
        })).Value;

    public static HfTokenizer Tokenizer(string tokenizerFrom, string? configFrom = null) =>
        HfTokenizer.FromDirectory(TokenizerFolder(tokenizerFrom, configFrom));

    /// <summary>One of the reference chat templates (templates/NAME.jinja) with the given special tokens.</summary>
    public static ChatTemplate Template(string name, string? bos, string? eos)
    {
        var variables = new Dictionary<string, object?>();
        if (bos is not null) variables["bos_token"] = bos;
        if (eos is not null) variables["eos_token"] = eos;
        return ChatTemplate.Parse(File.ReadAllText(Path.Combine(TemplateReference, name + ".jinja"))).WithDefaultVariables(variables);
    }

    /// <summary>A string with control characters visible, for failure messages.</summary>
    public static string Show(string s) => JsonSerializer.Serialize(s);
}

/// <summary>A fresh folder under the temp directory, deleted with its contents when disposed.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatplatform-training-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder must not fail a test
        }
    }
}
