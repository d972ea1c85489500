using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.SafeTensors;

public class SafeTensorsCheckpointTests
{
    private static string ShardedFolder(TempFolder temp)
    {
        using var scope = torch.NewDisposeScope();
        var folder = temp.File("model");
        SafeTensorsWriter.WriteSharded(folder, [("a", torch.ones([4])), ("b", torch.zeros([4]))], maxShardBytes: 16);
        return folder;
    }

    private static string Index(string folder) => Path.Combine(folder, SafeTensorsCheckpoint.IndexFileName);

    [Fact]
    public void OpensTheRealSingleFileFolder()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260K);
        using var checkpoint = SafeTensorsCheckpoint.Open(folder);
        Assert.Equal([Path.Combine(folder, "model.safetensors")], checkpoint.Files);
        Assert.Equal(47, checkpoint.Names.Count);
    }

    [Fact]
    public void AFolderWithoutWeightsIsFileNotFound()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<FileNotFoundException>(() => SafeTensorsCheckpoint.Open(temp.Path));
        Assert.Contains("no model.safetensors or model.safetensors.index.json", e.Message);
        Assert.False(SafeTensorsCheckpoint.Exists(temp.Path));
    }

    [Fact]
    public void AMissingShardIsNamed()
    {
        using var temp = new TempFolder();
        var folder = ShardedFolder(temp);
        File.Delete(Path.Combine(folder, "model-00002-of-00002.safetensors"));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsCheckpoint.Open(folder));
        Assert.Equal($"{Index(folder)}: shard 'model-00002-of-00002.safetensors' (holding 'b') does not exist in {folder}", e.Message);
    }

    [Theory]
    [InlineData("""{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors"}}""",
        "'b' is mapped to 'model-00001-of-00002.safetensors', which has no such tensor")]
    [InlineData("""{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"../model-00002-of-00002.safetensors"}}""",
        "weight_map entry 'b' names '../model-00002-of-00002.safetensors', not a file in this folder")]
    [InlineData("""{"weight_map":{"a":"model-00001-of-00002.safetensors","b":2}}""", "weight_map entry 'b' is a JSON Number, not a file name")]
    [InlineData("""{"metadata":{}}""", "no 'weight_map' object")]
    [InlineData("""{"weight_map":""", "not valid JSON")]
    public void AnInconsistentIndexIsNamed(string index, string expected)
    {
        using var temp = new TempFolder();
        var folder = ShardedFolder(temp);
        File.WriteAllText(Index(folder), index);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsCheckpoint.Open(folder));
        Assert.StartsWith(Index(folder) + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AShardWithAnUnlistedTensorIsNamed()
    {
        using var temp = new TempFolder();
        var folder = ShardedFolder(temp);
        using (var scope = torch.NewDisposeScope())
            SafeTensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), [("b", torch.zeros([4])), ("c", torch.zeros([1]))]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsCheckpoint.Open(folder));
        Assert.Equal($"{Index(folder)}: shard 'model-00002-of-00002.safetensors' holds 'c', which the weight_map does not list", e.Message);
    }

    [Fact]
    public void AHostileShardIsNamed()
    {
        using var temp = new TempFolder();
        var folder = ShardedFolder(temp);
        var shard = Path.Combine(folder, "model-00002-of-00002.safetensors");
        File.WriteAllBytes(shard, SafeTensorsBytes.Build("""{"b":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsCheckpoint.Open(folder));
        Assert.StartsWith(shard + ": tensor 'b': data_offsets end 16 is past the end", e.Message);
    }

    [Fact]
    public void LoadsAcrossShardsWithConversion()
    {
        using var temp = new TempFolder();
        var folder = ShardedFolder(temp);
        using var scope = torch.NewDisposeScope();
        using var checkpoint = SafeTensorsCheckpoint.Open(folder);
        Assert.Equal(["a", "b"], checkpoint.Names);
        Assert.Equal(Path.Combine(folder, "model-00002-of-00002.safetensors"), checkpoint.FileOf("b").Path);
        var a = checkpoint.Load("a", ScalarType.Float64);
        Assert.Equal([1.0, 1.0, 1.0, 1.0], a.data<double>());
        Assert.Throws<KeyNotFoundException>(() => checkpoint.Info("c"));
        checkpoint.Dispose();
        Assert.Throws<ObjectDisposedException>(() => checkpoint.Load("a"));
    }
}
