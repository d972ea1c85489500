using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatPlatform.Web.Admin.Training;

/// <summary>
/// The metrics a finished run keeps on its record and model version: the trainer's result and the before/after
/// evaluation, taken from the run manifest (which holds far more: hashes, options, data report).
/// </summary>
public static class RunMetrics
{
    public static string FromManifest(string manifestPath)
    {
        if (!File.Exists(manifestPath)) throw new FileNotFoundException($"{manifestPath}: the run wrote no manifest", manifestPath);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject
                       ?? throw new InvalidDataException($"{manifestPath}: not a JSON object");
        var metrics = new JsonObject
        {
            ["result"] = manifest["result"]?.DeepClone(),
            ["eval_before"] = manifest["eval_before"]?.DeepClone(),
            ["eval_after"] = manifest["eval_after"]?.DeepClone(),
        };
        return metrics.ToJsonString();
    }

    /// <summary>A number at a path such as <c>eval_after.eval_loss</c>, or null when absent or not a number.</summary>
    public static double? Number(string? metricsJson, params string[] path)
    {
        if (string.IsNullOrEmpty(metricsJson)) return null;
        JsonNode? node = JsonNode.Parse(metricsJson);
        foreach (var key in path) node = node?[key];
        return node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }
}
