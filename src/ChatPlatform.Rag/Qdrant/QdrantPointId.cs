using System.Security.Cryptography;
using System.Text;

namespace ChatPlatform.Rag.Qdrant;

/// <summary>
/// Qdrant point ids must be unsigned integers or UUIDs; chunk ids are strings. A chunk's point id is the name-based
/// UUID (RFC 4122 version 5, SHA-1) of its id in a fixed namespace: the same chunk always maps to the same point, so
/// re-indexing overwrites instead of duplicating.
/// </summary>
public static class QdrantPointId
{
    /// <summary>The namespace of ChatPlatform chunk ids: fixed forever, since changing it would orphan every stored point.</summary>
    public static readonly Guid Namespace = Guid.Parse("5f0e2e0a-8a2d-5a8b-9f67-2e3f1d7c9b41");

    public static Guid ForChunk(string chunkId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chunkId);
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var name = Encoding.UTF8.GetBytes(chunkId);
        var input = new byte[16 + name.Length];
        ns.CopyTo(input);
        name.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);   // version 5
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);   // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
