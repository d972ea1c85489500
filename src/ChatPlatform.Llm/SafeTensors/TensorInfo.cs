using ChatPlatform.Torch;

namespace ChatPlatform.Llm.SafeTensors;

/// <summary>
/// One tensor's entry in a safetensors header: its dtype, shape and byte range [Begin, End) relative to the start of
/// the data section (the byte after the header), as the file states them.
/// </summary>
public sealed record TensorInfo
{
    private readonly long[] shape;

    public TensorInfo(string name, ScalarType dtype, IEnumerable<long> shape, long begin, long end)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        DType = dtype;
        this.shape = [.. shape];
        Begin = begin;
        End = end;
    }

    public string Name { get; }
    public ScalarType DType { get; }
    public IReadOnlyList<long> Shape => shape;
    public long Begin { get; }
    public long End { get; }

    public long ByteCount => End - Begin;

    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in shape) n *= d;
            return n;
        }
    }

    /// <summary>A fresh copy of the shape, in the form the engine's creation functions take.</summary>
    public long[] ShapeArray() => (long[])shape.Clone();

    public bool Equals(TensorInfo? other) =>
        other is not null && Name == other.Name && DType == other.DType && shape.AsSpan().SequenceEqual(other.shape) &&
        Begin == other.Begin && End == other.End;

    public override int GetHashCode() => HashCode.Combine(Name, DType, shape.Length, Begin, End);

    public override string ToString() =>
        $"{Name}: {SafeTensorsDType.ToName(DType)} [{string.Join(", ", shape)}] bytes [{Begin}, {End})";
}
