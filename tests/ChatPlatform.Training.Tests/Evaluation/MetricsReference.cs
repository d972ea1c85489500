using System.Text.Json;
using ChatPlatform.Training.Tests.Data;

namespace ChatPlatform.Training.Tests.Evaluation;

/// <summary>
/// reference/metrics_reference.json, written by reference/make_reference.py: an independent Python
/// implementation that first checks itself against NLTK's published doctest values.
/// </summary>
internal static class MetricsReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(DataTestFiles.RepositoryRoot, "tests", "ChatPlatform.Training.Tests", "Evaluation", "reference", "metrics_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    public static JsonElement Get(string name) => Root.Value.GetProperty(name);

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static TheoryData<int> Indices(string name) => new(Enumerable.Range(0, Get(name).GetArrayLength()));
}
