using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>
/// A safetensors file (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
/// (name → {dtype, shape, data_offsets}, plus an optional "__metadata__" map of strings), then the data section.
/// The file is memory-mapped; the header is validated in full when the file is opened, so <see cref="Load"/> only
/// ever reads bytes the header proved to be inside the file. Tensors are copied out of the mapping, so they stay valid
/// after the file is disposed.
/// </summary>
/// <remarks>
/// Loading is thread-safe; disposing is not (do not dispose while another thread loads). The mapping is read-only and
/// <see cref="SafeTensorsWriter"/> replaces files by renaming, so rewriting a checkpoint never changes bytes under an
/// open file. A file truncated in place by another program while mapped cannot be guarded against (the OS faults).
/// </remarks>
public sealed unsafe class SafeTensorsFile : ISafeTensorsReader
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* data;  // the first byte of the data section
    private readonly List<TensorInfo> tensors;
    private readonly Dictionary<string, TensorInfo> byName;
    private readonly string[] names;
    private bool disposed;

    private SafeTensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* data,
        List<TensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        this.map = map;
        this.view = view;
        this.data = data;
        this.tensors = tensors;
        byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        names = [.. tensors.Select(t => t.Name)];
        Metadata = metadata;
    }

    /// <summary>Opens and validates <paramref name="path"/>; a malformed file is an <see cref="InvalidDataException"/>.</summary>
    public static SafeTensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        byte* pointer = null;
        try
        {
            var fileLength = stream.Length;
            // (mapping an empty file is an error of its own, so short files are caught first)
            if (fileLength < 8)
                throw SafeTensorsHeader.Invalid(path, $"file has {fileLength} bytes, fewer than the 8-byte header length");
            map = MemoryMappedFile.CreateFromFile(stream, mapName: null, 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, fileLength, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            var start = pointer + view.PointerOffset;

            var headerLength = SafeTensorsHeader.ValidateHeaderLength(
                BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(start, 8)), fileLength, path);
            var dataLength = fileLength - 8 - headerLength;
            var (tensors, metadata) = SafeTensorsHeader.Parse(new ReadOnlySpan<byte>(start + 8, (int)headerLength), dataLength, path);
            return new SafeTensorsFile(path, map, view, start + 8 + headerLength, tensors, metadata);
        }
        catch
        {
            if (pointer != null) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            map?.Dispose();
            stream.Dispose();  // (already closed by the map when it was created; disposing twice is harmless)
            throw;
        }
    }

    public string Path { get; }

    public IReadOnlyList<string> Names => names;

    /// <summary>The header's "__metadata__" map (empty when absent), e.g. {"format": "pt"}.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Every tensor's entry, in header order.</summary>
    public IReadOnlyList<TensorInfo> Tensors => tensors;

    public bool Contains(string name) => byName.ContainsKey(name);

    public TensorInfo Info(string name) =>
        byName.TryGetValue(name, out var info) ? info : throw new KeyNotFoundException($"{Path} has no tensor '{name}'");

    /// <summary>Tensors larger than this are copied in chunks of about this size.</summary>
    private const long ChunkBytes = 16L << 20;

    public Tensor Load(string name, ScalarType? dtype = null, Device? device = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var info = Info(name);
        // The one copy: mapped file → tensor memory on the device, converted to the compute dtype in the same pass.
        var shape = info.ShapeArray();
        if (info.ByteCount <= ChunkBytes || shape.Length == 0 || shape[0] < 2)
        {
            var tensor = torch.from_memory(data + info.Begin, info.ByteCount, shape, info.DType, device, dtype);
            MappedPages.Release(data + info.Begin, info.ByteCount);
            return tensor;
        }
        // A large tensor (an embedding table) is filled in row chunks, each chunk's mapped pages released as soon as it
        // is copied: resident memory then never holds the mapping and the tensor of the same weights at once.
        var result = torch.empty(shape, dtype ?? info.DType, device);
        var rowBytes = info.ByteCount / shape[0];
        var rowsPerChunk = Math.Max(1, ChunkBytes / rowBytes);
        for (long row = 0; row < shape[0]; row += rowsPerChunk)
        {
            var rows = Math.Min(rowsPerChunk, shape[0] - row);
            var source = data + info.Begin + row * rowBytes;
            using var slice = result.narrow(0, row, rows);
            slice.copy_from_memory(source, rows * rowBytes, info.DType);
            MappedPages.Release(source, rows * rowBytes);
        }
        return result;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
