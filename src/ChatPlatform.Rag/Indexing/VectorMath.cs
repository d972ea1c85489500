using System.Numerics.Tensors;

namespace ChatPlatform.Rag.Indexing;

internal static class VectorMath
{
    /// <summary>A unit-length copy; cosine similarity of unit vectors is their dot product. A zero vector is an error.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 0) || float.IsInfinity(norm)) throw new ArgumentException("an embedding vector is zero, NaN or infinite");
        var result = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, result);
        return result;
    }

    public static byte[] ToBlob(ReadOnlySpan<float> vector) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector).ToArray();

    public static float[] FromBlob(byte[] blob) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(blob).ToArray();
}
