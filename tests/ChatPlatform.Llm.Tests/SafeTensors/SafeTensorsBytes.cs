using System.Buffers.Binary;
using System.Text;

namespace ChatPlatform.Llm.Tests.SafeTensors;

/// <summary>
/// Builds safetensors files byte by byte, from the format's definition (huggingface/safetensors README), without the
/// writer under test: 8-byte little-endian header length, UTF-8 JSON header, data.
/// </summary>
internal static class SafeTensorsBytes
{
    public static byte[] Build(string headerJson, ReadOnlySpan<byte> data) =>
        Build((ulong)Encoding.UTF8.GetByteCount(headerJson), Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Build(ulong headerLength, ReadOnlySpan<byte> header, ReadOnlySpan<byte> data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        header.CopyTo(bytes.AsSpan(8));
        data.CopyTo(bytes.AsSpan(8 + header.Length));
        return bytes;
    }

    public static byte[] LittleEndian(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    /// <summary>bfloat16 is the top half of a float32's bits (here truncated, so pick values whose low half is zero or test that).</summary>
    public static byte[] BFloat16TopHalves(params float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16));
        return bytes;
    }
}
