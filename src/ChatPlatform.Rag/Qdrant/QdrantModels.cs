using System.Text.Json.Nodes;

namespace ChatPlatform.Rag.Qdrant;

/// <summary>A sparse vector: parallel arrays of dimension indices and their weights.</summary>
public sealed record QdrantSparseVector(IReadOnlyList<uint> Indices, IReadOnlyList<float> Values)
{
    internal JsonObject ToJson()
    {
        if (Indices.Count != Values.Count)
            throw new ArgumentException($"a sparse vector needs as many values as indices ({Indices.Count} indices, {Values.Count} values)");
        return new JsonObject
        {
            ["indices"] = new JsonArray([.. Indices.Select(i => (JsonNode)JsonValue.Create(i))]),
            ["values"] = new JsonArray([.. Values.Select(v => (JsonNode)JsonValue.Create(v))]),
        };
    }
}

/// <summary>A point to upsert: its id (see <see cref="QdrantPointId"/>), dense vector, optional sparse vector and payload.</summary>
public sealed record QdrantPoint(Guid Id, ReadOnlyMemory<float> Vector, JsonObject Payload, QdrantSparseVector? Sparse = null);

/// <summary>A search hit: the point id as Qdrant returns it (UUID or integer, as text), its score and payload.</summary>
public sealed record QdrantScoredPoint(string Id, double Score, JsonObject? Payload);

/// <summary>A stored point as a scroll returns it: id (as text), payload and, when asked for, the dense vector.</summary>
public sealed record QdrantStoredPoint(string Id, JsonObject? Payload, float[]? Vector);

/// <summary>What Qdrant reports about a collection (GET /collections/{name}).</summary>
public sealed record QdrantCollectionInfo(
    string Status,
    long? PointsCount,
    IReadOnlyDictionary<string, (int Size, string Distance)> DenseVectors,
    IReadOnlyList<string> SparseVectors,
    IReadOnlyDictionary<string, string> PayloadSchema);

/// <summary>
/// A payload filter in Qdrant's JSON form: points must match every <c>must</c> condition, none of the <c>must_not</c>.
/// </summary>
public sealed class QdrantFilter
{
    private readonly JsonArray must = [];
    private readonly JsonArray mustNot = [];

    /// <summary>Points whose <paramref name="key"/> equals <paramref name="value"/> (a keyword match).</summary>
    public static QdrantFilter Match(string key, string value) => new QdrantFilter().AndMatch(key, value);

    public QdrantFilter AndMatch(string key, string value)
    {
        must.Add(new JsonObject { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } });
        return this;
    }

    /// <summary>Points whose <paramref name="key"/> is any of <paramref name="values"/>.</summary>
    public QdrantFilter AndMatchAny(string key, IEnumerable<string> values)
    {
        must.Add(new JsonObject
        {
            ["key"] = key,
            ["match"] = new JsonObject { ["any"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]) },
        });
        return this;
    }

    public QdrantFilter AndNotMatch(string key, string value)
    {
        mustNot.Add(new JsonObject { ["key"] = key, ["match"] = new JsonObject { ["value"] = value } });
        return this;
    }

    internal JsonObject ToJson()
    {
        var o = new JsonObject();
        if (must.Count > 0) o["must"] = must.DeepClone();
        if (mustNot.Count > 0) o["must_not"] = mustNot.DeepClone();
        return o;
    }
}

/// <summary>One sub-query of a hybrid search: a dense or a sparse query vector against the named vector it targets.</summary>
public sealed record QdrantPrefetch
{
    public ReadOnlyMemory<float>? Dense { get; init; }
    public QdrantSparseVector? Sparse { get; init; }
    /// <summary>The collection's vector to search; null: the dense vector of the options.</summary>
    public string? Using { get; init; }
    /// <summary>Candidates this sub-query contributes to the fusion.</summary>
    public int Limit { get; init; } = 50;
}
