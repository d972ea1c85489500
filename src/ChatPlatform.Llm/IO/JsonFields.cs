using System.Text.Json;

namespace ChatPlatform.Llm.IO;

/// <summary>
/// One JSON object of a Hugging Face file (config.json, tokenizer.json, tokenizer_config.json, generation_config.json,
/// the sentence-transformers files) together with the file's name and the object's path ("rope_scaling",
/// "pre_tokenizer.pretokenizers[1]"), so every bad field is reported as
/// <c>tokenizer.json: model.type 'Unigram' is not supported</c>: the file and the full dotted field path.
/// </summary>
/// <remarks>
/// A field that is absent or JSON null reads as null (the caller applies Hugging Face's default with <c>??</c>);
/// a field of the wrong type is an error that quotes the JSON it found.
/// </remarks>
internal readonly struct JsonFields
{
    private const int QuotedJsonLimit = 80;

    private readonly JsonElement _object;

    private JsonFields(string fileName, string path, JsonElement obj)
    {
        FileName = fileName;
        Path = path;
        _object = obj;
    }

    /// <summary>The file as messages name it (a bare file name or a path).</summary>
    public string FileName { get; }

    /// <summary>This object's path inside the file; empty for the root.</summary>
    public string Path { get; }

    /// <summary>
    /// Parses <paramref name="json"/> and runs <paramref name="read"/> on its root object while the document is alive.
    /// Invalid JSON, a root that is not an object, and an <see cref="ArgumentException"/> from the record's own
    /// validation (whose messages use the JSON field names) become an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    /// <param name="maxDepth">System.Text.Json's nesting limit; tokenizer.json's nested Sequences need more than the default 64.</param>
    public static T Parse<T>(string json, string fileName, Func<JsonFields, T> read, int maxDepth = 64)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{fileName}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{fileName}: a JSON {document.RootElement.ValueKind}, not an object");
            try
            {
                return read(new JsonFields(fileName, "", document.RootElement));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{fileName}: {e.Message}", e);
            }
        }
    }

    /// <summary>The field's full path as messages spell it: "rope_scaling.factor", "added_tokens[0].id".</summary>
    public string FieldPath(string field) => Path.Length == 0 ? field : $"{Path}.{field}";

    /// <summary>"file: path.field problem".</summary>
    public InvalidDataException Error(string field, string problem) => new($"{FileName}: {FieldPath(field)} {problem}");

    /// <summary>A problem of the file as a whole, not of one field ("no pooling mode is set").</summary>
    public InvalidDataException FileError(string problem) => new($"{FileName}: {problem}");

    /// <summary>"file: path.field 'value' is not supported", with the supported values when given.</summary>
    public InvalidDataException Unsupported(string field, string value, string? supported = null) =>
        Error(field, supported is null ? $"'{value}' is not supported" : $"'{value}' is not supported (supported: {supported})");

    /// <summary>"file: path.field must be {expected}, not {the JSON found}".</summary>
    public InvalidDataException WrongType(string field, JsonElement found, string expected) =>
        Error(field, $"must be {expected}, not {Quote(found)}");

    /// <summary>True when the field is in the object with a non-null value.</summary>
    public bool Has(string field) => TryGet(field, out _);

    /// <summary>True when the field is in the object, even as null (some defaults differ between absent and null).</summary>
    public bool Present(string field) => _object.TryGetProperty(field, out _);

    /// <summary>The field's raw value; false when it is absent or JSON null.</summary>
    public bool TryGet(string field, out JsonElement value)
    {
        if (_object.TryGetProperty(field, out value) && value.ValueKind != JsonValueKind.Null) return true;
        value = default;
        return false;
    }

    /// <summary>The sub-object at <paramref name="field"/>, or null when it is absent or JSON null.</summary>
    public JsonFields? Object(string field)
    {
        if (!TryGet(field, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object) throw WrongType(field, v, "an object");
        return new JsonFields(FileName, FieldPath(field), v);
    }

    public JsonFields RequiredObject(string field) => Object(field) ?? throw Error(field, "is missing");

    /// <summary>The objects of the array at <paramref name="field"/>, each with its path "field[i]".</summary>
    public IEnumerable<JsonFields> Objects(string field)
    {
        int i = 0;
        foreach (var item in RequiredArray(field).EnumerateArray())
        {
            var itemField = $"{field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw WrongType(itemField, item, "an object");
            yield return new JsonFields(FileName, FieldPath(itemField), item);
        }
    }

    public JsonElement RequiredArray(string field)
    {
        if (!TryGet(field, out var v)) throw Error(field, "is missing");
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(field, v, "an array");
        return v;
    }

    public string? String(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw WrongType(field, v, "a string");
    }

    public string RequiredString(string field) => String(field) ?? throw Error(field, "is missing");

    /// <summary>The "type" discriminator of tokenizer.json's components; throws when it is absent.</summary>
    public string RequiredType() => RequiredString("type");

    /// <summary>A single character field such as Metaspace's "replacement".</summary>
    public string Char(string field, string defaultValue)
    {
        var s = String(field) ?? defaultValue;
        if (s.EnumerateRunes().Count() != 1) throw Error(field, $"must be a single character, not '{s}'");
        return s;
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

    public int RequiredInt(string field) => Int(field) ?? throw Error(field, "is missing");

    public double? Double(string field)
    {
        if (!TryGet(field, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw WrongType(field, v, "a finite number");
    }

    public double RequiredDouble(string field) => Double(field) ?? throw Error(field, "is missing");

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

    // The JSON as written ("yes" keeps its quotes, so a string "2" and a number 2 read apart), cut short when long.
    private static string Quote(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length > QuotedJsonLimit ? text[..QuotedJsonLimit] + "..." : text;
    }
}
