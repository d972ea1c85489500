using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.SafeTensors;

public class SafeTensorsWriterTests
{
    [Fact]
    public void RoundTripsEveryDTypeExactly()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("all.safetensors");
        float[] f32 = [1.5f, float.Epsilon, -0f, float.NaN, float.PositiveInfinity, -3.4e38f];
        Half[] f16 = [(Half)0.333f, Half.MaxValue, Half.Epsilon, (Half)(-2)];
        ushort[] bf16 = [0x3F80, 0xC049, 0x0001, 0x7F80, 0xFFFF];
        long[] i64 = [long.MinValue, -1, 0, long.MaxValue];
        var tensors = new (string, Tensor)[]
        {
            ("f16", torch.tensor(f16, [2, 2])),
            ("mask", torch.tensor(new[] { true, false, false })),
            ("f32", torch.tensor(f32, [3, 2])),
            ("bf16", torch.frombuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(bf16.AsSpan()), [bf16.Length], ScalarType.BFloat16)),
            ("i64", torch.tensor(i64)),
            ("i8", torch.tensor(new sbyte[] { -128, 127, 5 })),
            ("u8", torch.tensor(new byte[] { 0, 255 })),
            ("i16", torch.tensor(new short[] { short.MinValue, 7, short.MaxValue })),
            ("i32", torch.tensor(new[] { int.MinValue, 42 })),
            ("f64", torch.tensor(new[] { Math.E, double.MinValue })),
            ("scalar", torch.scalar_tensor(2.5)),
            ("nothing", torch.zeros([0, 3])),
        };
        SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["by"] = "ChatPlatform" });

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["by"] = "ChatPlatform" }, file.Metadata);
        // Wider dtypes first, otherwise the order given.
        Assert.Equal(["i64", "f64", "f32", "i32", "scalar", "nothing", "f16", "bf16", "i16", "mask", "i8", "u8"], file.Names);
        foreach (var (name, tensor) in tensors)
        {
            var info = file.Info(name);
            Assert.Equal(tensor.dtype, info.DType);
            Assert.Equal(tensor.shape, info.Shape);
            Assert.Equal(0, info.Begin % tensor.dtype.ElementSize());  // aligned, as the reference's ordering makes it
        }
        Assert.Equal(f32.Select(BitConverter.SingleToUInt32Bits), file.Load("f32").data<float>().Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(f16.Select(BitConverter.HalfToUInt16Bits), file.Load("f16").data<Half>().Select(BitConverter.HalfToUInt16Bits));
        Assert.Equal(bf16, file.Load("bf16").data<ushort>());
        Assert.Equal(i64, file.Load("i64").data<long>());
        Assert.Equal([-128, 127, 5], file.Load("i8").data<sbyte>());
        Assert.Equal([0, 255], file.Load("u8").data<byte>());
        Assert.Equal([short.MinValue, 7, short.MaxValue], file.Load("i16").data<short>());
        Assert.Equal([int.MinValue, 42], file.Load("i32").data<int>());
        Assert.Equal([Math.E, double.MinValue], file.Load("f64").data<double>());
        Assert.Equal([true, false, false], file.Load("mask").data<bool>());
        Assert.Equal(2.5f, file.Load("scalar").item<float>());
        Assert.Equal([0L, 3L], file.Load("nothing").shape);
    }

    [Fact]
    public void WritesTheReferenceLayout()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("layout.safetensors");
        SafeTensorsWriter.Write(path, [("b", torch.tensor(new[] { 1f, 2f })), ("a", torch.tensor(new[] { 3L }))]);

        // Parsed here by hand from the format's definition, not with the reader under test.
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, n);
        Assert.Equal(header.TrimEnd(' '), header.TrimEnd(' ').Trim());  // only trailing spaces pad it
        Assert.Equal("""{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""",
            header.TrimEnd(' '));
        Assert.Equal(8 + n + 16, bytes.Length);
        Assert.Equal(3L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 + n)));
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + n + 12)));
    }

    [Fact]
    public void WritesLargeAndNonContiguousTensorsInChunks()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("big.safetensors");
        var big = torch.randn([1200, 1300]);  // 6.2 MB: more than one 4 MiB chunk
        var transposed = big.t();             // not contiguous
        var bf16 = big.to(ScalarType.BFloat16);
        SafeTensorsWriter.Write(path, [("big", big), ("transposed", transposed), ("bf16", bf16)]);

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(big.data<float>(), file.Load("big").data<float>());
        Assert.Equal([1300L, 1200L], file.Info("transposed").Shape);
        Assert.Equal(transposed.contiguous().data<float>(), file.Load("transposed").data<float>());
        Assert.Equal(bf16.data<ushort>(), file.Load("bf16").data<ushort>());
        // bf16 → float32 on load is exact: every bf16 value is a float32.
        Assert.Equal(bf16.to(ScalarType.Float32).data<float>(), file.Load("bf16", ScalarType.Float32).data<float>());
    }

    [Fact]
    public void ReplacesAFileAtomicallyAndLeavesTheOldOneWhenWritingFails()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var path = folder.File("model.safetensors");
        SafeTensorsWriter.Write(path, [("w", torch.ones([2]))]);
        var before = File.ReadAllBytes(path);

        // Invalid input is refused before anything is written.
        var disposed = torch.ones([2]);
        disposed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SafeTensorsWriter.Write(path, [("w", torch.zeros([2])), ("x", disposed)]));
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("w", torch.zeros([2])), ("w", torch.zeros([2]))]));
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [("__metadata__", torch.zeros([2]))]));
        Assert.Equal(before, File.ReadAllBytes(path));

        // A failure after the data is written (here: the target is a folder) removes the temporary file.
        var blocked = folder.File("blocked.safetensors");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => SafeTensorsWriter.Write(blocked, [("w", torch.zeros([2]))]));
        Assert.Equal(["blocked.safetensors", "model.safetensors"], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName).Order());

        // A successful rewrite replaces the file while an open reader keeps the old contents.
        using var old = SafeTensorsFile.Open(path);
        SafeTensorsWriter.Write(path, [("w", torch.full([2], 7f))]);
        Assert.Equal([1f, 1f], old.Load("w").data<float>());
        using var fresh = SafeTensorsFile.Open(path);
        Assert.Equal([7f, 7f], fresh.Load("w").data<float>());
    }

    [Fact]
    public void ShardedEqualsSingleFile()
    {
        using var scope = torch.NewDisposeScope();
        using var folder = new TempFolder();
        var tensors = new List<(string, Tensor)>();
        for (var l = 0; l < 3; l++)
        {
            tensors.Add(($"model.layers.{l}.self_attn.q_proj.weight", torch.randn([16, 16])));   // 1024 bytes
            tensors.Add(($"model.layers.{l}.input_layernorm.weight", torch.randn([16]).to(ScalarType.BFloat16)));
        }
        tensors.Add(("model.embed_tokens.weight", torch.randn([64, 16])));  // 4096 bytes: bigger than a shard
        tensors.Add(("model.positions", torch.arange(10)));

        var singlePath = folder.File("single.safetensors");
        SafeTensorsWriter.Write(singlePath, tensors);
        var shardFolder = folder.File("sharded");
        var written = SafeTensorsWriter.WriteSharded(shardFolder, tensors, maxShardBytes: 2100);

        Assert.Equal(
            ["model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors", "model-00003-of-00004.safetensors",
             "model-00004-of-00004.safetensors", "model.safetensors.index.json"],
            written.Select(Path.GetFileName));
        using var single = SafeTensorsFile.Open(singlePath);
        using var sharded = SafeTensorsCheckpoint.Open(shardFolder);
        Assert.Equal(single.Names, sharded.Names);
        Assert.Equal(4, sharded.Files.Count);
        foreach (var name in single.Names)
        {
            Assert.Equal(single.Info(name).DType, sharded.Info(name).DType);
            Assert.Equal(single.Info(name).Shape, sharded.Info(name).Shape);
            Assert.Equal(Bytes(single.Load(name)), Bytes(sharded.Load(name)));
        }
        using (var shard = SafeTensorsFile.Open(sharded.Files[0]))
            Assert.Equal("pt", shard.Metadata["format"]);  // transformers refuses shards without it

        // The index as transformers writes it: total_size of the tensor data, weight_map sorted by name.
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(shardFolder, SafeTensorsCheckpoint.IndexFileName)));
        Assert.Equal(tensors.Sum(t => t.Item2.numel() * t.Item2.dtype.ElementSize()),
            index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        var weightMap = index.RootElement.GetProperty("weight_map").EnumerateObject().ToList();
        Assert.Equal(weightMap.Select(p => p.Name).Order(StringComparer.Ordinal), weightMap.Select(p => p.Name));
        Assert.Equal("model-00001-of-00004.safetensors", weightMap.Single(p => p.Name == "model.positions").Value.GetString());

        // Saving again with fewer shards, then as one file, leaves no stale weight files behind.
        sharded.Dispose();
        SafeTensorsWriter.WriteSharded(shardFolder, tensors, maxShardBytes: 5000);
        Assert.Equal(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"],
            Directory.EnumerateFiles(shardFolder).Select(Path.GetFileName).Order());
        SafeTensorsWriter.WriteSharded(shardFolder, tensors);
        Assert.Equal(["model.safetensors"], Directory.EnumerateFiles(shardFolder).Select(Path.GetFileName));
        using (var whole = SafeTensorsCheckpoint.Open(shardFolder))
            Assert.Equal(single.Names, whole.Names);
        SafeTensorsWriter.WriteSharded(shardFolder, tensors, maxShardBytes: 5000);
        Assert.False(File.Exists(Path.Combine(shardFolder, SafeTensorsCheckpoint.SingleFileName)));  // it would shadow the index
    }

    private static byte[] Bytes(Tensor t)
    {
        var bytes = new byte[t.numel() * t.dtype.ElementSize()];
        t.CopyBytesTo(bytes);
        return bytes;
    }
}
