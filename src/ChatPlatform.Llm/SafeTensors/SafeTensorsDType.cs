using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>The dtype names of the safetensors format (huggingface/safetensors, <c>Dtype</c>) and the engine's types.</summary>
public static class SafeTensorsDType
{
    private static readonly (string Name, ScalarType Type)[] Supported =
    [
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    ];

    // Valid in the format but with no engine type (unsigned wider than a byte, the 8/6/4-bit floats).
    private static readonly HashSet<string> KnownUnsupported =
        ["U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"];

    /// <summary>The names this reader and writer handle, e.g. for error messages.</summary>
    public static string SupportedNames => string.Join(", ", Supported.Select(s => s.Name));

    public static bool TryParse(string name, out ScalarType type)
    {
        foreach (var (n, t) in Supported)
        {
            if (n != name) continue;
            type = t;
            return true;
        }
        type = default;
        return false;
    }

    /// <summary>True for a dtype the format defines that the engine cannot hold (e.g. U16, F8_E4M3).</summary>
    public static bool IsKnownUnsupported(string name) => KnownUnsupported.Contains(name);

    public static string ToName(ScalarType type)
    {
        foreach (var (n, t) in Supported)
            if (t == type) return n;
        throw new ArgumentOutOfRangeException(nameof(type), type, "no safetensors dtype for this scalar type");
    }
}
