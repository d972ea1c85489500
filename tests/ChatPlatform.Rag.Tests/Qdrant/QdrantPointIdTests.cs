using ChatPlatform.Rag.Qdrant;

namespace ChatPlatform.Rag.Tests.Qdrant;

public sealed class QdrantPointIdTests
{
    // Expected values from Python's uuid.uuid5(uuid.UUID("5f0e2e0a-8a2d-5a8b-9f67-2e3f1d7c9b41"), name), an independent
    // RFC 4122 implementation.
    [Theory]
    [InlineData("doc-1#0", "e6445086-dc2e-5ca2-8d77-e5db149294b3")]
    [InlineData("Käse/ü chunk 17", "223274fe-425b-56d9-92f2-1de15edf027f")]
    [InlineData("x", "cecf5d70-6be5-590b-9f03-db6a284ecf7a")]
    public void Chunk_ids_map_to_rfc4122_name_based_uuids(string chunkId, string expected) =>
        Assert.Equal(Guid.Parse(expected), QdrantPointId.ForChunk(chunkId));
}
