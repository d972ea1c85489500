using ChatPlatform.Llm.SafeTensors;

namespace ChatPlatform.Llm.Tests.SafeTensors;

/// <summary>Truncated and hostile files: each is an InvalidDataException naming the file and the problem.</summary>
public class SafeTensorsHostileFileTests
{
    private const string F32x2 = """{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""";

    public static TheoryData<string, string> Cases => new()
    {
        { "shorter than the length prefix", "fewer than the 8-byte header length" },
        { "header length larger than the file", "runs past the end of the file" },
        { "header length 0", "header length 0 is too small" },
        { "header length over 100 MB", "exceeds the 100000000-byte limit" },
        { "header length 2^64-1", "exceeds the 100000000-byte limit" },
        { "invalid JSON", "header is not valid JSON" },
        { "invalid UTF-8", "header is not valid UTF-8" },
        { "JSON array", "header is a JSON Array, not an object" },
        { "JSON after the object", "data after its JSON object" },
        { "nested too deep", "header is not valid JSON" },
        { "tensor not an object", "tensor 'w' is a JSON Number, not an object" },
        { "unknown dtype", "tensor 'w': dtype 'Q4_K' is unknown (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)" },
        { "unsupported dtype", "tensor 'w': dtype 'F8_E4M3' is not supported" },
        { "missing dtype", "tensor 'w' has no string field 'dtype'" },
        { "missing shape", "tensor 'w' has no array field 'shape'" },
        { "negative shape", "tensor 'w': shape dimension 1 is -2, not a non-negative integer" },
        { "fractional shape", "tensor 'w': shape dimension 0 is 2.5, not a non-negative integer" },
        { "shape product overflow", "tensor 'w': shape [4294967296, 4294967296, 4] overflows a 64-bit byte count" },
        { "shape byte count overflow", "tensor 'w': shape [4611686018427387904] overflows a 64-bit byte count" },
        { "rank 65", "shape has 65 dimensions" },
        { "missing data_offsets", "tensor 'w' has no field 'data_offsets'" },
        { "three data_offsets", "tensor 'w' has no field 'data_offsets'" },
        { "negative offset", "tensor 'w': data_offsets begin is -8, not a non-negative integer" },
        { "offset beyond int64", "tensor 'w': data_offsets end is 18446744073709551615, not a non-negative integer" },
        { "offsets past the end", "tensor 'w': data_offsets end 16 is past the end of the data section (8 bytes)" },
        { "begin after end", "tensor 'w': data_offsets begin 8 is after end 0" },
        { "size mismatch with shape", "tensor 'w': shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8" },
        { "overlapping tensors", "tensors 'a' [0, 8) and 'b' [4, 12) overlap" },
        { "same bytes twice", "tensors 'a' [0, 8) and 'b' [0, 8) overlap" },
        { "hole between tensors", "bytes [8, 12) of the data section belong to no tensor (before 'b')" },
        { "trailing bytes", "the data section has 12 bytes but its tensors cover only 8" },
        { "duplicate tensor", "tensor 'w' appears twice" },
        { "metadata not an object", "'__metadata__' is a JSON Array" },
        { "metadata value not a string", "'__metadata__' entry 'n' is a JSON Number, not a string" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RejectsWithAMessageNamingTheProblem(string name, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("hostile.safetensors");
        File.WriteAllBytes(path, Build(name));
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private static byte[] Build(string name)
    {
        var eight = new byte[8];
        return name switch
        {
            "shorter than the length prefix" => [1, 0, 0, 0, 0],
            "header length larger than the file" => SafeTensorsBytes.Build(1000, "{}"u8, []),
            "header length 0" => SafeTensorsBytes.Build(0, [], eight),
            "header length over 100 MB" => SafeTensorsBytes.Build(100_000_001, "{}"u8, []),
            "header length 2^64-1" => SafeTensorsBytes.Build(ulong.MaxValue, "{}"u8, []),
            "invalid JSON" => SafeTensorsBytes.Build("""{"w": {"dtype": """, []),
            "invalid UTF-8" => SafeTensorsBytes.Build(8, [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []),
            "JSON array" => SafeTensorsBytes.Build("[1, 2]", []),
            "JSON after the object" => SafeTensorsBytes.Build("{} {}", []),
            "nested too deep" => SafeTensorsBytes.Build("""{"__metadata__":""" + new string('[', 20) + new string(']', 20) + "}", []),
            "tensor not an object" => SafeTensorsBytes.Build("""{"w": 5}""", []),
            "unknown dtype" => Tensor("w", """{"dtype":"Q4_K","shape":[2],"data_offsets":[0,8]}""", 8),
            "unsupported dtype" => Tensor("w", """{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}""", 8),
            "missing dtype" => Tensor("w", """{"shape":[2],"data_offsets":[0,8]}""", 8),
            "missing shape" => Tensor("w", """{"dtype":"F32","data_offsets":[0,8]}""", 8),
            "negative shape" => Tensor("w", """{"dtype":"F32","shape":[1,-2],"data_offsets":[0,8]}""", 8),
            "fractional shape" => Tensor("w", """{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}""", 8),
            "shape product overflow" => Tensor("w", """{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,0]}""", 0),
            "shape byte count overflow" => Tensor("w", """{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}""", 0),
            "rank 65" => Tensor("w", """{"dtype":"F32","shape":[""" + string.Join(",", Enumerable.Repeat(1, 65)) + """],"data_offsets":[0,4]}""", 4),
            "missing data_offsets" => Tensor("w", """{"dtype":"F32","shape":[2]}""", 8),
            "three data_offsets" => Tensor("w", """{"dtype":"F32","shape":[2],"data_offsets":[0,8,16]}""", 16),
            "negative offset" => Tensor("w", """{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}""", 8),
            "offset beyond int64" => Tensor("w", """{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}""", 8),
            "offsets past the end" => Tensor("w", """{"dtype":"F32","shape":[4],"data_offsets":[0,16]}""", 8),
            "begin after end" => Tensor("w", """{"dtype":"F32","shape":[2],"data_offsets":[8,0]}""", 8),
            "size mismatch with shape" => Tensor("w", """{"dtype":"F32","shape":[3],"data_offsets":[0,8]}""", 8),
            "overlapping tensors" => Header("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12),
            "same bytes twice" => Header("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", 8),
            "hole between tensors" => Header("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}""", 16),
            "trailing bytes" => Tensor("w", F32x2, 12),
            "duplicate tensor" => Header("""{"w":""" + F32x2 + ""","w":""" + F32x2 + "}", 8),
            "metadata not an object" => Header("""{"__metadata__":["a"],"w":""" + F32x2 + "}", 8),
            "metadata value not a string" => Header("""{"__metadata__":{"n":1},"w":""" + F32x2 + "}", 8),
            _ => throw new ArgumentException(name),
        };
    }

    private static byte[] Tensor(string name, string entry, int dataBytes) => Header($$"""{"{{name}}":{{entry}}}""", dataBytes);

    private static byte[] Header(string json, int dataBytes) => SafeTensorsBytes.Build(json, new byte[dataBytes]);

    [Fact]
    public void TheNamedFileCanBeReplacedAfterAFailedOpen()
    {
        // A failed open must release the mapping and the handle.
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build("[]", []));
        Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Open(path));
        File.WriteAllBytes(path, SafeTensorsBytes.Build("{}", []));
        using var file = SafeTensorsFile.Open(path);
        Assert.Empty(file.Names);
    }
}
