using ChatPlatform.Llm.IO;
using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>
/// Writes safetensors files the way the reference implementation lays them out: the JSON header padded with spaces so
/// the data section starts 8-byte aligned, then the tensors back to back with no holes.
/// </summary>
/// <remarks>
/// Order: tensors are written in the order given, except that wider dtypes go first (a stable sort by element size,
/// as the reference sorts by dtype): every tensor then starts at a multiple of its element size. A checkpoint of one
/// dtype keeps exactly the caller's order. The header lists the tensors in that same order.
/// Safety: each file is written to a temporary file in the same folder, flushed to disk and renamed over the target,
/// so a crash leaves either the old file or the new one, never half of one. The tensors are read, not disposed.
/// </remarks>
public static partial class SafeTensorsWriter
{
    /// <summary>transformers' default <c>max_shard_size</c> ("5GB").</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    private const int ChunkBytes = 4 << 20;

    private sealed record Entry(string Name, Tensor Tensor, ScalarType DType, long[] Shape, long Bytes);

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, replacing it atomically.</summary>
    public static void Write(string path, IEnumerable<(string name, Tensor tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteEntries(path, Collect(tensors), metadata);
    }

    /// <summary>
    /// Writes a Hugging Face sharded checkpoint into <paramref name="folder"/>, as transformers' <c>save_pretrained</c>
    /// does: shards of at most <paramref name="maxShardBytes"/> bytes of tensor data (a larger tensor gets a shard of
    /// its own) named <c>model-0000k-of-0000n.safetensors</c>, with <c>model.safetensors.index.json</c>; or a single
    /// <c>model.safetensors</c> and no index when everything fits in one shard. Every file gets the metadata
    /// {"format": "pt"} (transformers checks it) plus <paramref name="metadata"/>. Weight files of an earlier save in the
    /// folder are removed; the old index goes first, so a crash midway leaves no index that mixes old and new shards.
    /// Returns the files written, index last.
    /// </summary>
    public static IReadOnlyList<string> WriteSharded(string folder, IEnumerable<(string name, Tensor tensor)> tensors,
        long maxShardBytes = DefaultMaxShardBytes, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxShardBytes, 0);
        var entries = Collect(tensors);

        var shards = new List<List<Entry>> { new() };
        long shardBytes = 0;
        foreach (var e in entries)
        {
            if (shards[^1].Count > 0 && shardBytes + e.Bytes > maxShardBytes)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add(e);
            shardBytes += e.Bytes;
        }

        var fileMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        if (metadata is not null)
            foreach (var (key, value) in metadata) fileMetadata[key] = value;

        Directory.CreateDirectory(folder);
        var indexPath = Path.Combine(folder, SafeTensorsCheckpoint.IndexFileName);
        var singlePath = Path.Combine(folder, SafeTensorsCheckpoint.SingleFileName);
        File.Delete(indexPath);

        if (shards.Count == 1)
        {
            WriteEntries(singlePath, shards[0], fileMetadata);
            DeleteShardsExcept(folder, keep: []);
            return [singlePath];
        }

        File.Delete(singlePath);  // it would win over the index when the folder is read
        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);  // save_pretrained sorts the keys
        for (var k = 0; k < shards.Count; k++)
        {
            var name = $"model-{k + 1:D5}-of-{shards.Count:D5}.safetensors";
            var path = Path.Combine(folder, name);
            WriteEntries(path, shards[k], fileMetadata);
            written.Add(path);
            foreach (var e in shards[k]) weightMap[e.Name] = name;
        }

        var totalSize = entries.Sum(e => e.Bytes);
        var index = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, object> { ["metadata"] = new Dictionary<string, long> { ["total_size"] = totalSize }, ["weight_map"] = weightMap },
            new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        AtomicFile.Write(indexPath, stream => stream.Write(index));
        written.Add(indexPath);
        DeleteShardsExcept(folder, keep: [.. written.Select(p => Path.GetFileName(p)!)]);
        return written;
    }

    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$")]
    private static partial Regex ShardName();

    private static void DeleteShardsExcept(string folder, HashSet<string> keep)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "model-*-of-*.safetensors"))
        {
            var name = Path.GetFileName(path);
            if (ShardName().IsMatch(name) && !keep.Contains(name)) File.Delete(path);
        }
    }

    private static List<Entry> Collect(IEnumerable<(string name, Tensor tensor)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("a tensor name is empty", nameof(tensors));
            if (name == SafeTensorsHeader.MetadataKey)
                throw new ArgumentException($"'{name}' is reserved for the header's metadata", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"tensor '{name}' is given twice", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor);
            ObjectDisposedException.ThrowIf(tensor.IsDisposed, tensor);
            var dtype = tensor.dtype;
            entries.Add(new Entry(name, tensor, dtype, tensor.shape, checked(tensor.numel() * dtype.ElementSize())));
        }
        // Wider dtypes first, otherwise in the order given (OrderBy is stable): keeps every tensor aligned to its element size.
        return [.. entries.OrderByDescending(e => e.DType.ElementSize())];
    }

    private static void WriteEntries(string path, List<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = Header(entries, metadata);
        var dataBytes = entries.Sum(e => e.Bytes);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            var largest = entries.Count == 0 ? 0 : entries.Max(e => e.Bytes);
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(largest, 1, ChunkBytes));
            try
            {
                foreach (var e in entries) WriteData(stream, e, buffer);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }, preallocate: 8 + header.Length + dataBytes);
    }

    private static byte[] Header(List<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var e in entries)
            {
                writer.WriteStartObject(e.Name);
                writer.WriteString("dtype", SafeTensorsDType.ToName(e.DType));
                writer.WriteStartArray("shape");
                foreach (var d in e.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset += e.Bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // Pad with spaces so the data section starts at a multiple of 8 (the 8-byte length prefix is aligned already).
        var padding = (8 - json.WrittenCount % 8) % 8;
        var header = new byte[json.WrittenCount + padding];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    // Copies the tensor's bytes out through the engine in chunks, so neither a managed copy of a whole large weight
    // nor (for a CUDA tensor) a whole host copy is ever made.
    private static void WriteData(Stream stream, Entry e, byte[] buffer)
    {
        if (e.Bytes == 0) return;
        if (e.Bytes <= buffer.Length)
        {
            e.Tensor.CopyBytesTo(buffer.AsSpan(0, (int)e.Bytes));
            stream.Write(buffer, 0, (int)e.Bytes);
            return;
        }
        var elementSize = e.DType.ElementSize();
        var perChunk = buffer.Length / elementSize;
        using var scope = torch.NewDisposeScope();  // frees the flat view (and its copy, for a non-contiguous tensor)
        var flat = e.Tensor.detach().reshape(-1);
        var count = e.Bytes / elementSize;
        for (long start = 0; start < count; start += perChunk)
        {
            var n = (int)Math.Min(perChunk, count - start);
            using var chunk = flat.narrow(0, start, n);
            chunk.CopyBytesTo(buffer.AsSpan(0, n * elementSize));
            stream.Write(buffer, 0, n * elementSize);
        }
    }
}
