using System.Text;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.SafeTensors;

public class SafeTensorsReaderTests
{
    [Fact]
    public void ReadsAHandBuiltFile()
    {
        // Laid out as the reference writes it: metadata, wider dtypes first, header padded with spaces to 8 bytes.
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes(-5L));
        data.AddRange(BitConverter.GetBytes(1L << 40));
        data.AddRange(SafeTensorsBytes.LittleEndian(1.5f, -2.25f, 3e-8f, float.MaxValue, float.NegativeInfinity, 0f));
        data.AddRange([1, 0, 1]);
        var header = """
            {"__metadata__":{"format":"pt","note":"ünïcode"},"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},
            "w":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]},"mask":{"dtype":"BOOL","shape":[3],"data_offsets":[40,43]},
            "empty":{"dtype":"F16","shape":[0,4],"data_offsets":[43,43]}}
            """.Replace("\n", "");
        header += new string(' ', (8 - Encoding.UTF8.GetByteCount(header) % 8) % 8);
        using var folder = new TempFolder();
        var path = folder.File("hand.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build(header, data.ToArray()));

        using var scope = torch.NewDisposeScope();
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(["ids", "w", "mask", "empty"], file.Names);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode" }, file.Metadata);
        Assert.Equal(new TensorInfo("w", ScalarType.Float32, [2, 3], 16, 40), file.Info("w"));
        Assert.Equal(6, file.Info("w").ElementCount);

        Assert.Equal([-5L, 1L << 40], file.Load("ids").data<long>());
        var w = file.Load("w");
        Assert.Equal([2L, 3L], w.shape);
        Assert.Equal([1.5f, -2.25f, 3e-8f, float.MaxValue, float.NegativeInfinity, 0f], w.data<float>());
        Assert.Equal([true, false, true], file.Load("mask").data<bool>());
        var empty = file.Load("empty");
        Assert.Equal([0L, 4L], empty.shape);
        Assert.Equal(ScalarType.Float16, empty.dtype);
        Assert.Throws<KeyNotFoundException>(() => file.Info("missing"));
    }

    [Fact]
    public void AcceptsAnEmptyFileAScalarAndNullMetadata()
    {
        using var folder = new TempFolder();
        var empty = folder.File("empty.safetensors");
        File.WriteAllBytes(empty, SafeTensorsBytes.Build("{}      ", []));
        using (var file = SafeTensorsFile.Open(empty))
        {
            Assert.Empty(file.Names);
            Assert.Empty(file.Metadata);
        }

        var scalar = folder.File("scalar.safetensors");
        File.WriteAllBytes(scalar, SafeTensorsBytes.Build("""{"__metadata__":null,"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}""",
            BitConverter.GetBytes(Math.PI)));
        using var scope = torch.NewDisposeScope();
        using var s = SafeTensorsFile.Open(scalar);
        var t = s.Load("s");
        Assert.Empty(t.shape);
        Assert.Equal(Math.PI, t.ToDouble());
    }

    [Fact]
    public void LoadsBFloat16AsFloat32()
    {
        // Values whose low 16 bits are zero are exact in bf16; for the rest bf16 keeps the top 16 bits (truncation here).
        float[] values = [1f, -2.5f, 0.15625f, 3.14159265f, -1e-20f, 65504f, 1e30f];
        using var folder = new TempFolder();
        var path = folder.File("bf16.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build("""{"x":{"dtype":"BF16","shape":[7],"data_offsets":[0,14]}}""",
            SafeTensorsBytes.BFloat16TopHalves(values)));

        using var scope = torch.NewDisposeScope();
        using var file = SafeTensorsFile.Open(path);
        var x = file.Load("x", ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, x.dtype);
        var expected = values.Select(v => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) & 0xFFFF0000u)).ToArray();
        Assert.Equal(expected, x.data<float>());

        // Unconverted, the raw bits come back as they are in the file.
        var raw = file.Load("x");
        Assert.Equal(ScalarType.BFloat16, raw.dtype);
        Assert.Equal(values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray(), raw.data<ushort>());
    }

    [Fact]
    public void ReadsTheRealStories260KCheckpoint()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260K);
        var config = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        using var scope = torch.NewDisposeScope();
        using var file = SafeTensorsFile.Open(Path.Combine(folder, "model.safetensors"));

        Assert.Equal("pt", file.Metadata["format"]);
        var expected = ExpectedLlamaShapes(config);
        Assert.Equal(expected.Keys.Order(), file.Names.Order());
        foreach (var (name, shape) in expected)
        {
            Assert.Equal(ScalarType.Float32, file.Info(name).DType);
            Assert.Equal(shape, file.Info(name).Shape);
        }
        Assert.DoesNotContain("lm_head.weight", file.Names);  // tie_word_embeddings

        // Bit patterns read with numpy.frombuffer from the same file.
        var embed = file.Load("model.embed_tokens.weight").data<float>();
        Assert.Equal([3197561168u, 1058003044u, 1043571191u], embed[..3].Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal([3190345851u, 3201899213u], embed[^2..].Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(-752.3677446640068, embed.Sum(v => (double)v), 1e-9);
        var k = file.Load("model.layers.4.self_attn.k_proj.weight");
        Assert.Equal(3196567332u, BitConverter.SingleToUInt32Bits(k.data<float>()[31 * 64 + 63]));
    }

    [Fact]
    public void TheUntiedCheckpointHasAnLmHead()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260KUntied);
        var config = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        Assert.False(config.TieWordEmbeddings);
        using var checkpoint = SafeTensorsCheckpoint.Open(folder);
        var expected = ExpectedLlamaShapes(config);
        Assert.Equal(expected.Keys.Order(), checkpoint.Names.Order());
        Assert.Equal([config.VocabSize, config.HiddenSize], checkpoint.Info("lm_head.weight").Shape);
    }

    /// <summary>transformers' LlamaForCausalLM state dict for a config.</summary>
    internal static Dictionary<string, long[]> ExpectedLlamaShapes(LlamaConfig c)
    {
        long h = c.HiddenSize, q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize;
        var shapes = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [c.VocabSize, h],
            ["model.norm.weight"] = [h],
        };
        for (var l = 0; l < c.NumHiddenLayers; l++)
        {
            var p = $"model.layers.{l}.";
            shapes[p + "input_layernorm.weight"] = [h];
            shapes[p + "post_attention_layernorm.weight"] = [h];
            shapes[p + "self_attn.q_proj.weight"] = [q, h];
            shapes[p + "self_attn.k_proj.weight"] = [kv, h];
            shapes[p + "self_attn.v_proj.weight"] = [kv, h];
            shapes[p + "self_attn.o_proj.weight"] = [h, q];
            shapes[p + "mlp.gate_proj.weight"] = [i, h];
            shapes[p + "mlp.up_proj.weight"] = [i, h];
            shapes[p + "mlp.down_proj.weight"] = [h, i];
        }
        if (!c.TieWordEmbeddings) shapes["lm_head.weight"] = [c.VocabSize, h];
        return shapes;
    }
}

[CollectionDefinition(nameof(LiveTensorCount), DisableParallelization = true)]
public sealed class LiveTensorCount;

/// <summary>Counts the process's live native tensors, so it runs alone.</summary>
[Collection(nameof(LiveTensorCount))]
public class SafeTensorsOwnershipTests
{
    [Fact]
    public void LoadingAndConvertingEveryTensorLeavesNoTensorBehind()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260K);
        using var checkpoint = SafeTensorsCheckpoint.Open(folder);
        var baseline = torch.LiveTensorHandles;
        long elements = 0;
        foreach (var name in checkpoint.Names)
        {
            // The pattern for loading a model: one weight at a time, converted, then handed over (here: dropped).
            using var weight = checkpoint.Load(name, ScalarType.BFloat16);
            Assert.Equal(ScalarType.BFloat16, weight.dtype);
            elements += weight.numel();
        }
        Assert.Equal(checkpoint.Names.Sum(n => checkpoint.Info(n).ElementCount), elements);
        Assert.Equal(baseline, torch.LiveTensorHandles);
    }

    [Fact]
    public void WritingLeavesNoTensorBehind()
    {
        using var folder = new TempFolder();
        using var big = torch.randn([1100, 1300]);  // over the writer's 4 MiB chunk, so it goes through views
        using var small = torch.ones([3]);
        var baseline = torch.LiveTensorHandles;
        SafeTensorsWriter.Write(folder.File("a.safetensors"), [("big", big), ("small", small)]);
        SafeTensorsWriter.WriteSharded(folder.File("sharded"), [("big", big), ("small", small)], maxShardBytes: 1000);
        Assert.Equal(baseline, torch.LiveTensorHandles);
    }
}
