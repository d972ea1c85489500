using System.Text.Json;

namespace ChatPlatform.Llm.Tests.Models.Bert;

/// <summary>
/// The tiny random BERT of reference/ (written by make_bert_reference.py) and its reference outputs, plus
/// sentence-transformers folders around it with the pooling, normalisation, prompts and max_seq_length a test wants.
/// </summary>
internal static class TinyBert
{
    public static string ReferenceDir => TestPaths.TestSource(Path.Combine("Models", "Bert", "reference"));
    public static string ModelDir => Path.Combine(ReferenceDir, "tiny-bert");

    public sealed record Case(string Text, int[] InputIds, double[][] LastHiddenState, Dictionary<string, double[]> Pooled);

    public static IReadOnlyList<Case> Cases { get; } = LoadCases();

    private static List<Case> LoadCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceDir, "bert_reference.json")));
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var pooled = new Dictionary<string, double[]>();
            foreach (var key in new[] { "cls", "mean", "max", "mean_sqrt_len_tokens", "lasttoken", "mean_normalized" })
                pooled[key] = c.GetProperty(key).EnumerateArray().Select(x => x.GetDouble()).ToArray();
            cases.Add(new Case(
                c.GetProperty("text").GetString()!,
                c.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
                c.GetProperty("last_hidden_state").EnumerateArray()
                    .Select(row => row.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray(),
                pooled));
        }
        return cases;
    }

    /// <summary>
    /// A sentence-transformers folder in <paramref name="folder"/>: the tiny model's files, modules.json with Pooling
    /// (and Normalize when asked), and the optional prompt and sentence_bert_config files.
    /// </summary>
    public static string WriteSentenceTransformer(TempFolder folder, string poolingJson, bool normalize = false,
        string? promptsJson = null, int? maxSeqLength = null)
    {
        foreach (var f in Directory.GetFiles(ModelDir)) File.Copy(f, folder.File(Path.GetFileName(f)));
        var modules = new List<string>
        {
            """{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}""",
            """{"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}""",
        };
        if (normalize) modules.Add("""{"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}""");
        File.WriteAllText(folder.File("modules.json"), "[" + string.Join(",", modules) + "]");
        Directory.CreateDirectory(folder.File("1_Pooling"));
        File.WriteAllText(Path.Combine(folder.File("1_Pooling"), "config.json"), poolingJson);
        if (promptsJson is not null) File.WriteAllText(folder.File("config_sentence_transformers.json"), promptsJson);
        if (maxSeqLength is { } m)
            File.WriteAllText(folder.File("sentence_bert_config.json"), $$"""{"max_seq_length": {{m}}, "do_lower_case": false}""");
        return folder.Path;
    }

    public static string Pooling(string mode) => $$"""
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": {{Flag(mode == "cls")}},
         "pooling_mode_mean_tokens": {{Flag(mode == "mean")}}, "pooling_mode_max_tokens": {{Flag(mode == "max")}},
         "pooling_mode_mean_sqrt_len_tokens": {{Flag(mode == "mean_sqrt_len_tokens")}},
         "pooling_mode_weightedmean_tokens": false, "pooling_mode_lasttoken": {{Flag(mode == "lasttoken")}}, "include_prompt": true}
        """;

    private static string Flag(bool on) => on ? "true" : "false";
}
