using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using ChatPlatform.Llm.Tokenization;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>One input of a reference folder's cases.json, with the ids Hugging Face produced for it.</summary>
public sealed record ReferenceCase(string Text, int[] Ids, int[] IdsNoSpecial, string[]? Tokens, string? Decoded, string? DecodedSkipSpecial);

/// <summary>
/// The golden files under Tokenization/reference (made by make_reference.mjs from Hugging Face's own
/// implementations; see the README there). Tokenizers are loaded once per folder through
/// <see cref="HfTokenizer.FromDirectory"/>, after un-gzipping tokenizer.json into a temporary folder.
/// </summary>
public static class ReferenceData
{
    /// <summary>Folders checked against the Rust `tokenizers` library (cases.json has every field).</summary>
    public static readonly string[] RustReferenceFolders =
    [
        "llama3_1", "qwen3", "mistral", "gpt2", "bytelevel-small", "bert-base-uncased", "bert-variant",
        "stories260K", "sp-metaspace-first", "sp-metaspace-always-split", "sp-metaspace-never", "sp-added-flags",
    ];

    /// <summary>Folders with tokenizer_config.json `legacy: false`, checked against transformers.js.</summary>
    public static readonly string[] LegacyFalseFolders = ["mistral-legacy-false", "stories260K-legacy-false"];

    private static readonly ConcurrentDictionary<string, Lazy<HfTokenizer>> Tokenizers = new();

    public static string ReferenceDir => TestPaths.TestSource(Path.Combine("Tokenization", "reference"));

    public static TheoryData<string> RustFolders() => new(RustReferenceFolders);

    public static TheoryData<string> LegacyFolders() => new(LegacyFalseFolders);

    public static HfTokenizer Tokenizer(string folder) =>
        Tokenizers.GetOrAdd(folder, f => new Lazy<HfTokenizer>(() => HfTokenizer.FromDirectory(MaterializedDir(f)))).Value;

    public static IReadOnlyList<ReferenceCase> Cases(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceDir, folder, "cases.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("text").GetString()!,
            Ints(c.GetProperty("ids")),
            Ints(c.GetProperty("ids_no_special")),
            c.TryGetProperty("tokens", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToArray() : null,
            c.TryGetProperty("decoded", out var d) ? d.GetString() : null,
            c.TryGetProperty("decoded_skip_special", out var ds) ? ds.GetString() : null)).ToList();
    }

    private static readonly ConcurrentDictionary<string, Lazy<string>> Materialized = new();

    /// <summary>
    /// A copy of a reference folder with a plain tokenizer.json (and its tokenizer_config.json), made once
    /// per test run under the test binaries (so nothing is left in the temp folder).
    /// </summary>
    public static string MaterializedDir(string folder) =>
        Materialized.GetOrAdd(folder, f => new Lazy<string>(() => Materialize(f))).Value;

    private static string Materialize(string folder)
    {
        var source = Path.Combine(ReferenceDir, folder);
        var target = Path.Combine(AppContext.BaseDirectory, "tokenizer-reference", folder);
        Directory.CreateDirectory(target);
        // A folder may borrow its tokenizer.json from another (the legacy=false ones do).
        var jsonFolder = source;
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "cases.json"))))
        {
            if (doc.RootElement.TryGetProperty("tokenizer_json_from", out var from)) jsonFolder = Path.Combine(ReferenceDir, from.GetString()!);
        }
        var plain = Path.Combine(jsonFolder, "tokenizer.json");
        if (File.Exists(plain)) File.Copy(plain, Path.Combine(target, "tokenizer.json"), overwrite: true);
        else
        {
            using var gz = new GZipStream(File.OpenRead(plain + ".gz"), CompressionMode.Decompress);
            using var output = File.Create(Path.Combine(target, "tokenizer.json"));
            gz.CopyTo(output);
        }
        var config = Path.Combine(source, "tokenizer_config.json");
        var targetConfig = Path.Combine(target, "tokenizer_config.json");
        if (File.Exists(config)) File.Copy(config, targetConfig, overwrite: true);
        else File.Delete(targetConfig);
        return target;
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(x => x.GetInt32()).ToArray();


    /// <summary>Visible form of a string for failure messages (escapes control characters).</summary>
    public static string Show(string s) => JsonSerializer.Serialize(s);

    public static string Show(IEnumerable<int> ids) => "[" + string.Join(",", ids) + "]";
}
