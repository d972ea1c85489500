using System.Text.Json;

namespace ChatPlatform.Llm.Configuration;

/// <summary>
/// Reads the fields of a Hugging Face JSON config with errors that name the file and the field. A field that is absent
/// or JSON null reads as null (the caller applies Hugging Face's default); a field of the wrong type is an error.
/// </summary>
internal sealed class ConfigJson(JsonElement root, string source, string prefix = "")
{
    public string Source => source;

    /// <summary>Parses <paramref name="json"/> and runs <paramref name="read"/> while the document is alive.</summary>
    public static T Parse<T>(string json, string source, Func<ConfigJson, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: a JSON {document.RootElement.ValueKind}, not an object");
            var reader = new ConfigJson(document.RootElement, source);
            try
            {
                return read(reader);
            }
            catch (ArgumentException e)
            {
                // The record's own validation (its messages use the JSON field names).
                throw new InvalidDataException($"{source}: {e.Message}", e);
            }
        }
    }

    public InvalidDataException Error(string problem) => new($"{source}: {problem}");

    /// <summary>True when the field is in the object, even as null (some defaults differ between absent and null).</summary>
    public bool Present(string field) => root.TryGetProperty(field, out _);

    /// <summary>The field's name as messages spell it: nested fields as "rope_scaling.factor".</summary>
    public string Name(string field) => prefix + field;

    public ConfigJson? Object(string field)
    {
        if (!TryGet(field, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw WrongType(field, v, "an object");
        return new ConfigJson(v, source, prefix + field + ".");
    }

    public string? String(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw WrongType(field, v, "a string");
    }

    public bool? Bool(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw WrongType(field, v, "true or false");
    }

    public int? Int(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw WrongType(field, v, "an integer");
    }

    public int RequiredInt(string field) => Int(field) ?? throw Error($"{Name(field)} is missing");

    public double? Double(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw WrongType(field, v, "a finite number");
    }

    public double RequiredDouble(string field) => Double(field) ?? throw Error($"{Name(field)} is missing");

    /// <summary>An integer or a list of integers (as eos_token_id may be); empty when absent.</summary>
    public IReadOnlyList<int> IntOrList(string field)
    {
        if (!TryGet(field, out var v)) return [];
        if (v.ValueKind == JsonValueKind.Number) return [Int(field)!.Value];
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(field, v, "an integer or a list of integers");
        var list = new List<int>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var i))
                throw WrongType(field, v, "an integer or a list of integers");
            list.Add(i);
        }
        return list;
    }

    private bool TryGet(string field, out JsonElement value) =>
        root.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null;

    private InvalidDataException WrongType(string field, JsonElement value, string expected)
    {
        var text = value.GetRawText();
        if (text.Length > 80) text = text[..80] + "...";
        return Error($"{Name(field)} must be {expected}, not {text}");
    }
}
