using System.Text.Json;
using System.Text.Unicode;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>
/// Parses and validates a safetensors header as strictly as the reference implementation
/// (huggingface/safetensors, <c>Metadata::validate</c>): every problem is an <see cref="InvalidDataException"/>
/// that names the file and the tensor or field, so a truncated or hostile file never reaches native code.
/// </summary>
internal static class SafeTensorsHeader
{
    /// <summary>The reference implementation's limit on the JSON header (MAX_HEADER_SIZE).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    // libtorch tensors have at most 64 dimensions; a longer shape can only be hostile.
    private const int MaxRank = 64;

    /// <summary>Checks the 8-byte header length against the file before anything is read.</summary>
    public static long ValidateHeaderLength(ulong headerLength, long fileLength, string file)
    {
        if (headerLength < 2)
            throw Invalid(file, $"header length {headerLength} is too small to hold a JSON object");
        if (headerLength > MaxHeaderBytes)
            throw Invalid(file, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if (headerLength > (ulong)(fileLength - 8))
            throw Invalid(file, $"header length {headerLength} runs past the end of the file ({fileLength} bytes)");
        return (long)headerLength;
    }

    /// <summary>
    /// Parses the JSON header; <paramref name="dataLength"/> is the size of the data section that follows it.
    /// Returns the tensors in header order and the optional string-to-string metadata.
    /// </summary>
    public static (List<TensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> json, long dataLength, string file)
    {
        if (!Utf8.IsValid(json)) throw Invalid(file, "header is not valid UTF-8");
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
            // ParseValue stops after the first value: only the format's space padding may follow it.
            if (reader.BytesConsumed < json.Length && !json[(int)reader.BytesConsumed..].TrimStart(" \t\r\n"u8).IsEmpty)
                throw Invalid(file, $"header has data after its JSON object (at byte {reader.BytesConsumed})");
        }
        catch (JsonException e)
        {
            throw Invalid(file, $"header is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(file, $"header is a JSON {root.ValueKind}, not an object");

            var tensors = new List<TensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var sawMetadata = false;
            foreach (var property in root.EnumerateObject())
            {
                var name = property.Name;
                if (name == MetadataKey)
                {
                    if (sawMetadata) throw Invalid(file, $"header has two '{MetadataKey}' entries");
                    sawMetadata = true;
                    ReadMetadata(property.Value, metadata, file);
                    continue;
                }
                if (!seen.Add(name)) throw Invalid(file, $"tensor '{name}' appears twice in the header");
                tensors.Add(ReadTensor(name, property.Value, dataLength, file));
            }
            CheckLayout(tensors, dataLength, file);
            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string file)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(file, $"'{MetadataKey}' is a JSON {value.ValueKind}, not an object of strings");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Invalid(file, $"'{MetadataKey}' entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Invalid(file, $"'{MetadataKey}' entry '{entry.Name}' appears twice");
        }
    }

    private static TensorInfo ReadTensor(string name, JsonElement value, long dataLength, string file)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Invalid(file, $"tensor '{name}' is a JSON {value.ValueKind}, not an object");

        // dtype
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Invalid(file, $"tensor '{name}' has no string field 'dtype'");
        var dtypeName = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryParse(dtypeName, out var dtype))
        {
            var kind = SafeTensorsDType.IsKnownUnsupported(dtypeName) ? "is not supported" : "is unknown";
            throw Invalid(file, $"tensor '{name}': dtype '{dtypeName}' {kind} (supported: {SafeTensorsDType.SupportedNames})");
        }

        // shape
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Invalid(file, $"tensor '{name}' has no array field 'shape'");
        var rank = shapeElement.GetArrayLength();
        if (rank > MaxRank) throw Invalid(file, $"tensor '{name}': shape has {rank} dimensions (at most {MaxRank})");
        var shape = new long[rank];
        var i = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var size) || size < 0)
                throw Invalid(file, $"tensor '{name}': shape dimension {i} is {d.GetRawText()}, not a non-negative integer");
            shape[i++] = size;
        }

        // data_offsets
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array ||
            offsets.GetArrayLength() != 2)
            throw Invalid(file, $"tensor '{name}' has no field 'data_offsets' of two integers [begin, end]");
        var begin = ReadOffset(offsets[0], name, "begin", file);
        var end = ReadOffset(offsets[1], name, "end", file);
        if (begin > end)
            throw Invalid(file, $"tensor '{name}': data_offsets begin {begin} is after end {end}");
        if (end > dataLength)
            throw Invalid(file, $"tensor '{name}': data_offsets end {end} is past the end of the data section ({dataLength} bytes)");

        long bytes;
        try
        {
            long elements = 1;
            foreach (var d in shape) elements = checked(elements * d);
            bytes = checked(elements * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Invalid(file, $"tensor '{name}': shape [{string.Join(", ", shape)}] overflows a 64-bit byte count");
        }
        if (bytes != end - begin)
            throw Invalid(file, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtypeName} needs {bytes} bytes " +
                                $"but data_offsets [{begin}, {end}] hold {end - begin}");

        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long ReadOffset(JsonElement element, string name, string which, string file)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var offset) || offset < 0)
            throw Invalid(file, $"tensor '{name}': data_offsets {which} is {element.GetRawText()}, not a non-negative integer");
        return offset;
    }

    // The data section must be covered exactly: no overlaps (two tensors sharing bytes), no holes and nothing after
    // the last tensor (the reference rejects those too: a file with unindexed bytes could be a polyglot).
    private static void CheckLayout(List<TensorInfo> tensors, long dataLength, string file)
    {
        var byOffset = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        long covered = 0;
        TensorInfo? previous = null;
        foreach (var t in byOffset)
        {
            if (t.Begin < covered)
                throw Invalid(file, $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}) and '{t.Name}' " +
                                    $"[{t.Begin}, {t.End}) overlap");
            if (t.Begin > covered)
                throw Invalid(file, $"bytes [{covered}, {t.Begin}) of the data section belong to no tensor (before '{t.Name}')");
            covered = t.End;
            previous = t;
        }
        if (covered != dataLength)
            throw Invalid(file, $"the data section has {dataLength} bytes but its tensors cover only {covered}");
    }

    public static InvalidDataException Invalid(string file, string problem) => new($"{file}: {problem}");
}
