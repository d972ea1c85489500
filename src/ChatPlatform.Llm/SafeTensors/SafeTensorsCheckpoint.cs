using System.Text.Json;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>
/// The weights of a Hugging Face model folder: <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> ({"metadata": {...}, "weight_map": {name: shard file}}), read as one set of
/// tensors. Like transformers, a single <c>model.safetensors</c> wins over an index. Opening validates every shard and
/// the index against them: each shard exists in the folder, each mapped name is in its shard, and each shard holds only
/// names the index maps to it.
/// </summary>
public sealed class SafeTensorsCheckpoint : ISafeTensorsReader
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly SafeTensorsFile[] files;
    private readonly Dictionary<string, SafeTensorsFile> fileOf;
    private readonly string[] names;
    private bool disposed;

    private SafeTensorsCheckpoint(string folder, SafeTensorsFile[] files, Dictionary<string, SafeTensorsFile> fileOf)
    {
        Folder = folder;
        this.files = files;
        this.fileOf = fileOf;
        names = [.. files.SelectMany(f => f.Names)];
    }

    /// <summary>True when <paramref name="folder"/> holds a single-file or sharded safetensors checkpoint.</summary>
    public static bool Exists(string folder) =>
        File.Exists(Path.Combine(folder, SingleFileName)) || File.Exists(Path.Combine(folder, IndexFileName));

    public static SafeTensorsCheckpoint Open(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var single = Path.Combine(folder, SingleFileName);
        if (File.Exists(single))
        {
            var file = SafeTensorsFile.Open(single);
            return new SafeTensorsCheckpoint(folder, [file], file.Names.ToDictionary(n => n, _ => file, StringComparer.Ordinal));
        }
        var index = Path.Combine(folder, IndexFileName);
        if (!File.Exists(index))
            throw new FileNotFoundException($"{folder}: no {SingleFileName} or {IndexFileName} in this folder", single);
        return OpenSharded(folder, index);
    }

    private static SafeTensorsCheckpoint OpenSharded(string folder, string index)
    {
        var weightMap = ReadWeightMap(index);
        var opened = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        try
        {
            // Shards in name order (model-00001-of-00003 ...), so Names follow the order the model was saved in.
            foreach (var shard in weightMap.Values.Distinct().Order(StringComparer.Ordinal))
            {
                var path = Path.Combine(folder, shard);
                if (!File.Exists(path))
                {
                    var example = weightMap.First(e => e.Value == shard).Key;
                    throw new InvalidDataException($"{index}: shard '{shard}' (holding '{example}') does not exist in {folder}");
                }
                opened[shard] = SafeTensorsFile.Open(path);
            }

            var fileOf = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            foreach (var (name, shard) in weightMap)
            {
                var file = opened[shard];
                if (!file.Contains(name))
                    throw new InvalidDataException($"{index}: '{name}' is mapped to '{shard}', which has no such tensor");
                fileOf[name] = file;
            }
            foreach (var (shard, file) in opened)
            {
                foreach (var name in file.Names)
                {
                    if (!weightMap.TryGetValue(name, out var mapped))
                        throw new InvalidDataException($"{index}: shard '{shard}' holds '{name}', which the weight_map does not list");
                    if (mapped != shard)
                        throw new InvalidDataException($"{index}: '{name}' is in both '{shard}' and '{mapped}'");
                }
            }
            return new SafeTensorsCheckpoint(folder, [.. opened.Values], fileOf);
        }
        catch
        {
            foreach (var file in opened.Values) file.Dispose();
            throw;
        }
    }

    private static Dictionary<string, string> ReadWeightMap(string index)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(index));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{index}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{index}: no 'weight_map' object");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{index}: weight_map entry '{entry.Name}' is a JSON {entry.Value.ValueKind}, not a file name");
                var shard = entry.Value.GetString()!;
                // A shard is a file beside the index: no directories, so a hostile index cannot point elsewhere.
                if (shard.Length == 0 || shard is "." or ".." || shard.IndexOfAny(['/', '\\']) >= 0)
                    throw new InvalidDataException($"{index}: weight_map entry '{entry.Name}' names '{shard}', not a file in this folder");
                if (!weightMap.TryAdd(entry.Name, shard))
                    throw new InvalidDataException($"{index}: weight_map lists '{entry.Name}' twice");
            }
            return weightMap;
        }
    }

    public string Folder { get; }

    /// <summary>The files read: the single file, or the shards in name order.</summary>
    public IReadOnlyList<string> Files => [.. files.Select(f => f.Path)];

    public IReadOnlyList<string> Names => names;

    public bool Contains(string name) => fileOf.ContainsKey(name);

    public TensorInfo Info(string name) => FileOf(name).Info(name);

    /// <summary>The file holding <paramref name="name"/>; its <see cref="TensorInfo"/> offsets are relative to that file.</summary>
    public SafeTensorsFile FileOf(string name) =>
        fileOf.TryGetValue(name, out var file) ? file : throw new KeyNotFoundException($"{Folder}: the checkpoint has no tensor '{name}'");

    public Tensor Load(string name, ScalarType? dtype = null, Device? device = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return FileOf(name).Load(name, dtype, device);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var file in files) file.Dispose();
    }
}
