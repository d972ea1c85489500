using System.Globalization;
using System.Text.Json;

namespace ChatPlatform.Cli.Bench;

/// <summary>A benchmark's figures: printed as an aligned table, or as one JSON object.</summary>
internal sealed class BenchReport(string title)
{
    private readonly List<(string Key, string Label, object Value, string Unit)> rows = [];
    private readonly List<string> notes = [];

    public BenchReport Add(string key, string label, object value, string unit = "")
    {
        rows.Add((key, label, value, unit));
        return this;
    }

    public BenchReport Note(string note)
    {
        notes.Add(note);
        return this;
    }

    public void Print(bool json)
    {
        if (json)
        {
            var obj = new Dictionary<string, object> { ["bench"] = title };
            foreach (var r in rows) obj[r.Key] = r.Value;
            if (notes.Count > 0) obj["notes"] = notes;
            Console.WriteLine(JsonSerializer.Serialize(obj));
            return;
        }
        Console.WriteLine(title);
        var width = rows.Max(r => r.Label.Length);
        foreach (var r in rows)
            Console.WriteLine($"  {r.Label.PadRight(width)}  {Format(r.Value)} {r.Unit}".TrimEnd());
        foreach (var n in notes) Console.WriteLine($"  note: {n}");
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString(Math.Abs(d) >= 100 ? "F1" : "F3", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
