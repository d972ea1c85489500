using System.Text.Json;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// A JSON object of tokenizer.json together with its path ("model", "pre_tokenizer.pretokenizers[1]"),
/// so every malformed or unsupported field is reported as <c>tokenizer.json: model.type 'Unigram' is not
/// supported</c>, naming the file and the field.
/// </summary>
internal readonly struct JsonSection
{
    private readonly JsonElement _element;

    public JsonSection(string fileName, string path, JsonElement element)
    {
        FileName = fileName;
        Path = path;
        _element = element;
    }

    public string FileName { get; }
    public string Path { get; }

    public string FieldPath(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    public InvalidDataException Error(string field, string message) => new($"{FileName}: {FieldPath(field)} {message}");

    public InvalidDataException Unsupported(string field, string value) => Error(field, $"'{value}' is not supported");

    public bool Has(string field) =>
        _element.TryGetProperty(field, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    public bool TryGet(string field, out JsonElement value)
    {
        if (_element.TryGetProperty(field, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)) return true;
        value = default;
        return false;
    }

    /// <summary>The sub-object at <paramref name="field"/>, or null when it is absent or JSON null.</summary>
    public JsonSection? Object(string field)
    {
        if (!TryGet(field, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw Error(field, $"must be an object, not {Describe(v)}");
        return new JsonSection(FileName, FieldPath(field), v);
    }

    public JsonSection RequiredObject(string field) => Object(field) ?? throw Error(field, "is missing");

    public IEnumerable<JsonSection> Objects(string field)
    {
        var array = RequiredArray(field);
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{FieldPath(field)}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{FileName}: {path} must be an object, not {Describe(item)}");
            yield return new JsonSection(FileName, path, item);
        }
    }

    public JsonElement RequiredArray(string field)
    {
        if (!TryGet(field, out var v)) throw Error(field, "is missing");
        if (v.ValueKind != JsonValueKind.Array) throw Error(field, $"must be an array, not {Describe(v)}");
        return v;
    }

    public string RequiredString(string field) => String(field) ?? throw Error(field, "is missing");

    public string? String(string field)
    {
        if (!TryGet(field, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) throw Error(field, $"must be a string, not {Describe(v)}");
        return v.GetString();
    }

    public bool Bool(string field, bool defaultValue)
    {
        if (!TryGet(field, out var v)) return defaultValue;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"must be true or false, not {Describe(v)}"),
        };
    }

    public bool? NullableBool(string field) => Has(field) ? Bool(field, false) : null;

    public int Int(string field, int defaultValue)
    {
        if (!TryGet(field, out var v)) return defaultValue;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i)) throw Error(field, $"must be an integer, not {Describe(v)}");
        return i;
    }

    public int RequiredInt(string field) => Has(field) ? Int(field, 0) : throw Error(field, "is missing");

    /// <summary>A single character field such as Metaspace's "replacement".</summary>
    public string Char(string field, string defaultValue)
    {
        var s = String(field) ?? defaultValue;
        if (s.EnumerateRunes().Count() != 1) throw Error(field, $"must be a single character, not '{s}'");
        return s;
    }

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string '{e.GetString()}'",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };

    /// <summary>The "type" discriminator; throws when it is absent.</summary>
    public string RequiredType() => RequiredString("type");
}
