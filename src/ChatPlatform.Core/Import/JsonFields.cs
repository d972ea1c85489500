using System.Globalization;
using System.Text.Json;

namespace ChatPlatform.Core.Import;

/// <summary>Typed reads of optional JSON fields; a field of the wrong type is a <see cref="RecordException"/> naming it.</summary>
internal static class JsonFields
{
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? v : null;

    /// <summary>A string, or a number rendered as its JSON text (ticket ids are often numbers).</summary>
    public static string? Text(JsonElement obj, string name, string? path = null) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => throw new RecordException($"{path ?? name}: expected a string"),
    };

    public static JsonElement? Object(JsonElement obj, string name, string? path = null) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } v => v,
        _ => throw new RecordException($"{path ?? name}: expected an object"),
    };

    public static JsonElement.ArrayEnumerator? Array(JsonElement obj, string name, string? path = null) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray(),
        _ => throw new RecordException($"{path ?? name}: expected an array"),
    };

    public static List<string>? Strings(JsonElement obj, string name)
    {
        if (Array(obj, name) is not { } items) return null;
        var list = new List<string>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String) throw new RecordException($"{name}: expected an array of strings");
            if (item.GetString() is { Length: > 0 } s) list.Add(s);
        }
        return list;
    }

    public static bool? Bool(JsonElement obj, string name, string path) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw new RecordException($"{path}: expected true or false"),
    };

    public static string Index(string array, int i) => string.Create(CultureInfo.InvariantCulture, $"{array}[{i}]");

    public static void RequireObject(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object) throw new RecordException("record: expected a JSON object");
    }
}
