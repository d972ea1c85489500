using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatPlatform.Rag.Tests.Qdrant;

/// <summary>
/// A stateful HTTP double for Qdrant: one collection held in memory, answering the REST calls the platform makes the way
/// Qdrant documents them — create/get collection, payload indexes, upsert (wait=true), delete by filter, query
/// (cosine over server-normalised vectors, payload filters with match value/any and must_not), scroll (paged,
/// with_vector). Failures can be injected per request to test what a half-done write leaves behind.
/// </summary>
internal sealed class InMemoryQdrantServer : HttpMessageHandler
{
    private sealed record StoredPoint(string Id, float[] Vector, JsonObject Payload);

    private readonly Dictionary<string, StoredPoint> points = new(StringComparer.Ordinal);
    private readonly List<Func<string, string, bool>> failures = [];
    private JsonObject? collection;
    private readonly JsonObject payloadSchema = [];

    public string Collection { get; }

    public InMemoryQdrantServer(string collection = "test") => Collection = collection;

    /// <summary>(method, path) of every request, in order.</summary>
    public List<(string Method, string Path)> Requests { get; } = [];

    public int PointCount => points.Count;

    public IEnumerable<JsonObject> Payloads => points.Values.Select(p => p.Payload);

    /// <summary>Answers the next request matching (method, path-and-query) with HTTP 500 and a Qdrant error body.</summary>
    public void FailNext(Func<string, string, bool> match) => failures.Add(match);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var pathAndQuery = request.RequestUri!.PathAndQuery;
        Requests.Add((method, pathAndQuery));
        var failure = failures.FindIndex(f => f(method, pathAndQuery));
        if (failure >= 0)
        {
            failures.RemoveAt(failure);
            return Reply(HttpStatusCode.InternalServerError, """{"status": {"error": "Service internal error: injected failure"}, "time": 0.0}""");
        }
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        var path = request.RequestUri.AbsolutePath.TrimEnd('/');
        var prefix = "/collections/" + Collection;
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
            return Error(HttpStatusCode.NotFound, $"Not found: Collection `{path}` doesn't exist!");
        var rest = path[prefix.Length..];
        if (collection is null && !(method == "PUT" && rest.Length == 0))
            return Error(HttpStatusCode.NotFound, $"Not found: Collection `{Collection}` doesn't exist!");
        return (method, rest) switch
        {
            ("GET", "") => Ok(CollectionInfo()),
            ("PUT", "") => Create(body!),
            ("PUT", "/index") => Index(body!),
            ("PUT", "/points") => Upsert(body!),
            ("POST", "/points/delete") => Delete(body!),
            ("POST", "/points/query") => Query(body!),
            ("POST", "/points/scroll") => Scroll(body!),
            _ => Reply(HttpStatusCode.NotFound, ""),
        };
    }

    private HttpResponseMessage Create(JsonObject body)
    {
        if (collection is not null) return Error(HttpStatusCode.Conflict, $"Wrong input: Collection `{Collection}` already exists!");
        collection = body;
        return Ok(true);
    }

    private JsonObject CollectionInfo() => new()
    {
        ["status"] = "green",
        ["points_count"] = points.Count,
        ["config"] = new JsonObject { ["params"] = collection!.DeepClone() },
        ["payload_schema"] = payloadSchema.DeepClone(),
    };

    private HttpResponseMessage Index(JsonObject body)
    {
        payloadSchema[body["field_name"]!.GetValue<string>()] = new JsonObject { ["data_type"] = body["field_schema"]!.GetValue<string>(), ["points"] = 0 };
        return Ok(new JsonObject { ["operation_id"] = 1, ["status"] = "completed" });
    }

    private HttpResponseMessage Upsert(JsonObject body)
    {
        var size = collection!["vectors"]!["size"]!.GetValue<int>();
        var batch = new List<StoredPoint>();
        foreach (var p in body["points"]!.AsArray())
        {
            var vector = p!["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            if (vector.Length != size)
                return Error(HttpStatusCode.BadRequest, $"Wrong input: Vector dimension error: expected dim: {size}, got {vector.Length}");
            // Cosine collections store unit vectors, as Qdrant does.
            var norm = MathF.Sqrt(vector.Sum(x => x * x));
            batch.Add(new StoredPoint(p["id"]!.GetValue<string>(), vector.Select(x => x / norm).ToArray(), (JsonObject)p["payload"]!.DeepClone()));
        }
        foreach (var point in batch) points[point.Id] = point;
        return Ok(new JsonObject { ["operation_id"] = 2, ["status"] = "completed" });
    }

    private HttpResponseMessage Delete(JsonObject body)
    {
        var filter = body["filter"] as JsonObject;
        foreach (var id in points.Values.Where(p => Matches(p.Payload, filter)).Select(p => p.Id).ToList()) points.Remove(id);
        return Ok(new JsonObject { ["operation_id"] = 3, ["status"] = "completed" });
    }

    private HttpResponseMessage Query(JsonObject body)
    {
        var query = body["query"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var limit = body["limit"]!.GetValue<int>();
        var filter = body["filter"] as JsonObject;
        var hits = points.Values.Where(p => Matches(p.Payload, filter))
            .Select(p => (Point: p, Score: p.Vector.Zip(query).Sum(x => x.First * x.Second) / MathF.Sqrt(query.Sum(x => x * x))))
            .OrderByDescending(h => h.Score).Take(limit)
            .Select(h => (JsonNode)new JsonObject
            {
                ["id"] = h.Point.Id, ["version"] = 1, ["score"] = h.Score, ["payload"] = h.Point.Payload.DeepClone(),
            });
        return Ok(new JsonObject { ["points"] = new JsonArray([.. hits]) });
    }

    private HttpResponseMessage Scroll(JsonObject body)
    {
        var limit = body["limit"]!.GetValue<int>();
        var offset = body["offset"]?.GetValue<string>();
        var withVector = body["with_vector"]?.GetValue<bool>() == true;
        var matching = points.Values.Where(p => Matches(p.Payload, body["filter"] as JsonObject))
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .SkipWhile(p => offset is not null && string.CompareOrdinal(p.Id, offset) < 0)
            .ToList();
        var page = matching.Take(limit).Select(p =>
        {
            var o = new JsonObject { ["id"] = p.Id, ["payload"] = p.Payload.DeepClone() };
            if (withVector) o["vector"] = new JsonArray([.. p.Vector.Select(v => (JsonNode)JsonValue.Create(v))]);
            return (JsonNode)o;
        });
        return Ok(new JsonObject
        {
            ["points"] = new JsonArray([.. page]),
            ["next_page_offset"] = matching.Count > limit ? matching[limit].Id : null,
        });
    }

    private static bool Matches(JsonObject payload, JsonObject? filter)
    {
        if (filter is null) return true;
        bool Condition(JsonNode? c)
        {
            var value = payload[c!["key"]!.GetValue<string>()]?.ToString();
            var match = c["match"]!;
            return match["value"] is { } v ? v.ToString() == value : match["any"]!.AsArray().Any(a => a!.ToString() == value);
        }
        var must = filter["must"]?.AsArray() ?? [];
        var mustNot = filter["must_not"]?.AsArray() ?? [];
        return must.All(Condition) && !mustNot.Any(Condition);
    }

    private static HttpResponseMessage Ok(JsonNode result) =>
        Reply(HttpStatusCode.OK, new JsonObject { ["result"] = result, ["status"] = "ok", ["time"] = 0.0001 }.ToJsonString());

    private static HttpResponseMessage Error(HttpStatusCode status, string error) =>
        Reply(status, new JsonObject { ["status"] = new JsonObject { ["error"] = error }, ["time"] = 0.0001 }.ToJsonString());

    private static HttpResponseMessage Reply(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
