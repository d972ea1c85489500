using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatPlatform.Rag.Qdrant;

/// <summary>
/// Qdrant's REST API (https://api.qdrant.tech) over HttpClient: collection set-up and checks, keyword payload indexes,
/// batched upserts, deletes by filter, filtered search (the Query API, falling back to /points/search on servers
/// before 1.10) and hybrid search (Query API prefetches fused by reciprocal rank fusion).
/// </summary>
/// <remarks>
/// Transient failures (HTTP 429/502/503/504, connection errors, timeouts) are retried with exponential backoff
/// (Retry-After wins when the server sends it); other 4xx answers are not, and surface as <see cref="QdrantException"/>
/// with Qdrant's own error text. Writes pass <c>wait=true</c>, so a returned call means the change is applied.
/// </remarks>
public sealed class QdrantRestClient
{
    private readonly HttpClient http;
    private readonly QdrantOptions options;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;
    private readonly string collectionPath;
    private bool queryApiMissing;

    /// <param name="http">Used as is; requests carry absolute URIs built from <see cref="QdrantOptions.Url"/>.</param>
    /// <param name="delay">How backoff waits (Task.Delay by default; tests record the waits instead).</param>
    public QdrantRestClient(HttpClient http, QdrantOptions options, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        options.Validate();
        this.http = http;
        this.options = options;
        this.delay = delay ?? Task.Delay;
        collectionPath = "collections/" + Uri.EscapeDataString(options.Collection);
    }

    public QdrantOptions Options => options;

    /// <summary>Whether the server lacked the Query API (found on the first search; later searches use /points/search).</summary>
    public bool UsesLegacySearch => queryApiMissing;

    /// <summary>
    /// Start-up check: creates the collection (with its keyword indexes) when it does not exist; otherwise verifies that
    /// its vectors fit the options and adds missing keyword indexes. An unreachable server or a collection of another
    /// vector size or distance fails here with a clear message, not at the first upsert.
    /// </summary>
    public async Task<QdrantCollectionInfo> EnsureCollectionAsync(CancellationToken cancellationToken = default)
    {
        var info = await GetCollectionAsync(cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            await CreateCollectionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var field in options.KeywordIndexes) await CreateKeywordIndexAsync(field, cancellationToken).ConfigureAwait(false);
            return await GetCollectionAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new QdrantException($"Qdrant collection '{options.Collection}' was created but cannot be read back");
        }
        Verify(info);
        foreach (var field in options.KeywordIndexes.Where(f => !info.PayloadSchema.ContainsKey(f)))
            await CreateKeywordIndexAsync(field, cancellationToken).ConfigureAwait(false);
        return info;
    }

    private void Verify(QdrantCollectionInfo info)
    {
        var name = options.DenseVectorName ?? "";
        var shown = options.DenseVectorName is null ? "its vector" : $"its vector '{name}'";
        var expectedDistance = options.Distance.ToString();
        if (!info.DenseVectors.TryGetValue(name, out var vector))
        {
            var has = string.Join(", ", info.DenseVectors.Keys.Select(k => k.Length == 0 ? "(unnamed)" : k));
            throw new QdrantConfigurationException(
                $"Qdrant collection '{options.Collection}' has no {(name.Length == 0 ? "unnamed vector" : $"vector named '{name}'")} (it has: {has})");
        }
        if (vector.Size != options.VectorSize)
            throw new QdrantConfigurationException(
                $"Qdrant collection '{options.Collection}': {shown} has size {vector.Size}, but the embedding model makes {options.VectorSize}-dimensional vectors (use another collection name, or re-create it)");
        if (!string.Equals(vector.Distance, expectedDistance, StringComparison.OrdinalIgnoreCase))
            throw new QdrantConfigurationException(
                $"Qdrant collection '{options.Collection}': {shown} uses distance {vector.Distance}, not {expectedDistance}");
        if (options.SparseVectorName is { } sparse && !info.SparseVectors.Contains(sparse))
            throw new QdrantConfigurationException($"Qdrant collection '{options.Collection}' has no sparse vector '{sparse}'");
    }

    /// <summary>The collection's description, or null when it does not exist.</summary>
    public async Task<QdrantCollectionInfo?> GetCollectionAsync(CancellationToken cancellationToken = default)
    {
        var (status, result) = await SendAsync(HttpMethod.Get, collectionPath, null, cancellationToken, notFoundIsResult: true).ConfigureAwait(false);
        return status == HttpStatusCode.NotFound ? null : ParseCollection(result);
    }

    /// <summary>PUT /collections/{name}: the dense vector (and sparse vector, IDF-weighted) of the options.</summary>
    public async Task CreateCollectionAsync(CancellationToken cancellationToken = default)
    {
        var dense = new JsonObject { ["size"] = options.VectorSize, ["distance"] = options.Distance.ToString() };
        var body = new JsonObject
        {
            ["vectors"] = options.DenseVectorName is { } name ? new JsonObject { [name] = dense } : dense,
        };
        if (options.SparseVectorName is { } sparse)
            body["sparse_vectors"] = new JsonObject { [sparse] = new JsonObject { ["modifier"] = "idf" } };
        await SendAsync(HttpMethod.Put, collectionPath, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT /collections/{name}/index: a keyword index on a payload field (exact-match filters).</summary>
    public Task CreateKeywordIndexAsync(string field, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, collectionPath + "/index?wait=true",
            new JsonObject { ["field_name"] = field, ["field_schema"] = "keyword" }, cancellationToken);

    /// <summary>PUT /collections/{name}/points, <see cref="QdrantOptions.UpsertBatchSize"/> points per request.</summary>
    public async Task UpsertAsync(IReadOnlyList<QdrantPoint> points, CancellationToken cancellationToken = default)
    {
        for (var start = 0; start < points.Count; start += options.UpsertBatchSize)
        {
            var batch = new JsonArray();
            for (var i = start; i < Math.Min(points.Count, start + options.UpsertBatchSize); i++) batch.Add(PointJson(points[i]));
            await SendAsync(HttpMethod.Put, collectionPath + "/points?wait=true", new JsonObject { ["points"] = batch }, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private JsonObject PointJson(QdrantPoint p)
    {
        if (p.Sparse is not null && options.SparseVectorName is null)
            throw new ArgumentException("a point has a sparse vector but the options name no sparse vector");
        JsonNode vector = Floats(p.Vector.Span);
        if (options.DenseVectorName is { } name)
        {
            var named = new JsonObject { [name] = vector };
            if (p.Sparse is not null) named[options.SparseVectorName!] = p.Sparse.ToJson();
            vector = named;
        }
        return new JsonObject { ["id"] = p.Id.ToString("D"), ["vector"] = vector, ["payload"] = p.Payload.DeepClone() };
    }

    /// <summary>POST /collections/{name}/points/delete with a filter.</summary>
    public Task DeleteAsync(QdrantFilter filter, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, collectionPath + "/points/delete?wait=true", new JsonObject { ["filter"] = filter.ToJson() }, cancellationToken);

    /// <summary>Deletes every chunk of a document (payload document_id).</summary>
    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        DeleteAsync(QdrantFilter.Match(QdrantPayload.DocumentId, documentId), cancellationToken);

    /// <summary>The <paramref name="limit"/> points nearest to <paramref name="vector"/> that pass <paramref name="filter"/>, best first.</summary>
    public async Task<IReadOnlyList<QdrantScoredPoint>> SearchAsync(ReadOnlyMemory<float> vector, int limit, QdrantFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!queryApiMissing)
        {
            var body = new JsonObject { ["query"] = Floats(vector.Span) };
            if (options.DenseVectorName is { } name) body["using"] = name;
            AddCommon(body, filter, limit);
            var (status, result) = await SendAsync(HttpMethod.Post, collectionPath + "/points/query", body, cancellationToken,
                routeMissingIsResult: true).ConfigureAwait(false);
            if (status != HttpStatusCode.NotFound) return ParsePoints(result?["points"]);
            queryApiMissing = true;   // a server before 1.10: no Query API
        }
        var legacy = new JsonObject
        {
            ["vector"] = options.DenseVectorName is { } n
                ? new JsonObject { ["name"] = n, ["vector"] = Floats(vector.Span) }
                : Floats(vector.Span),
        };
        AddCommon(legacy, filter, limit);
        var (_, hits) = await SendAsync(HttpMethod.Post, collectionPath + "/points/search", legacy, cancellationToken).ConfigureAwait(false);
        return ParsePoints(hits);
    }

    /// <summary>
    /// POST /collections/{name}/points/scroll: every point that passes <paramref name="filter"/> (page by page, in id order),
    /// with its payload and, when <paramref name="withVector"/>, its stored dense vector.
    /// </summary>
    public async Task<IReadOnlyList<QdrantStoredPoint>> ScrollAsync(QdrantFilter filter, bool withVector, int pageSize = 256,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var points = new List<QdrantStoredPoint>();
        JsonNode? offset = null;
        do
        {
            var body = new JsonObject
            {
                ["filter"] = filter.ToJson(),
                ["limit"] = pageSize,
                ["with_payload"] = true,
                ["with_vector"] = options.DenseVectorName is { } name && withVector ? new JsonArray(name) : withVector,
            };
            if (offset is not null) body["offset"] = offset.DeepClone();
            var (_, result) = await SendAsync(HttpMethod.Post, collectionPath + "/points/scroll", body, cancellationToken).ConfigureAwait(false);
            if (result?["points"] is not JsonArray page) throw new QdrantException("Qdrant scroll: the answer has no list of points");
            foreach (var p in page) points.Add(StoredPoint(p!, withVector));
            offset = result["next_page_offset"];
        }
        while (offset is not null && offset.GetValueKind() != JsonValueKind.Null);
        return points;
    }

    private QdrantStoredPoint StoredPoint(JsonNode p, bool withVector)
    {
        var id = p["id"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : p["id"]!.ToJsonString();
        float[]? vector = null;
        if (withVector)
        {
            var node = options.DenseVectorName is { } name ? p["vector"]?[name] : p["vector"];
            vector = node is JsonArray values
                ? values.Select(x => x!.GetValue<float>()).ToArray()
                : throw new QdrantException($"Qdrant scroll: point {id} came back without its vector");
        }
        return new QdrantStoredPoint(id, p["payload"] as JsonObject, vector);
    }

    /// <summary>
    /// Hybrid search: each prefetch (dense and/or sparse query) finds its candidates, and Qdrant fuses the lists by
    /// reciprocal rank fusion (<c>{"fusion": "rrf"}</c>). Needs the Query API (Qdrant 1.10 or later).
    /// </summary>
    public async Task<IReadOnlyList<QdrantScoredPoint>> HybridSearchAsync(IReadOnlyList<QdrantPrefetch> prefetches, int limit,
        QdrantFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (prefetches.Count == 0) throw new ArgumentException("hybrid search needs at least one prefetch");
        if (queryApiMissing) throw LegacyHybrid();
        var list = new JsonArray();
        foreach (var p in prefetches)
        {
            if ((p.Dense is null) == (p.Sparse is null)) throw new ArgumentException("a prefetch needs exactly one of a dense or a sparse query");
            var target = p.Using ?? (p.Sparse is not null ? options.SparseVectorName : options.DenseVectorName);
            if (p.Sparse is not null && target is null) throw new ArgumentException("a sparse prefetch needs a sparse vector name");
            var sub = new JsonObject { ["query"] = p.Dense is { } d ? Floats(d.Span) : p.Sparse!.ToJson() };
            if (target is not null) sub["using"] = target;
            // Each prefetch filters its own candidates; otherwise filtered-out points would crowd out the ones asked for.
            if (filter is not null) sub["filter"] = filter.ToJson();
            sub["limit"] = Math.Max(p.Limit, limit);
            list.Add(sub);
        }
        var body = new JsonObject { ["prefetch"] = list, ["query"] = new JsonObject { ["fusion"] = "rrf" } };
        AddCommon(body, filter, limit);
        var (status, result) = await SendAsync(HttpMethod.Post, collectionPath + "/points/query", body, cancellationToken,
            routeMissingIsResult: true).ConfigureAwait(false);
        if (status == HttpStatusCode.NotFound)
        {
            queryApiMissing = true;
            throw LegacyHybrid();
        }
        return ParsePoints(result?["points"]);
    }

    private QdrantException LegacyHybrid() =>
        new($"Qdrant at {options.Url} has no Query API (added in 1.10), so hybrid search with rank fusion is unavailable; upgrade the server");

    private static void AddCommon(JsonObject body, QdrantFilter? filter, int limit)
    {
        if (filter is not null) body["filter"] = filter.ToJson();
        body["limit"] = limit;
        body["with_payload"] = true;
    }

    private static JsonArray Floats(ReadOnlySpan<float> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            if (!float.IsFinite(v)) throw new ArgumentException("vectors must be finite (NaN or infinity found)");
            array.Add(v);
        }
        return array;
    }

    // ---- responses ----------------------------------------------------------------------------------------------------

    private QdrantCollectionInfo ParseCollection(JsonNode? result)
    {
        var where = $"Qdrant GET /{collectionPath}";
        if (result is not JsonObject r) throw new QdrantException($"{where}: the answer has no result object");
        var parameters = r["config"]?["params"] as JsonObject ?? throw new QdrantException($"{where}: result.config.params is missing");
        var dense = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        switch (parameters["vectors"])
        {
            case JsonObject v when v.ContainsKey("size"):
                dense[""] = VectorParams(v, where);
                break;
            case JsonObject named:
                foreach (var (name, node) in named)
                    dense[name] = VectorParams(node as JsonObject ?? throw new QdrantException($"{where}: vectors.{name} is not an object"), where);
                break;
        }
        var sparse = parameters["sparse_vectors"] is JsonObject s ? s.Select(kv => kv.Key).ToList() : [];
        var schema = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r["payload_schema"] is JsonObject ps)
            foreach (var (field, node) in ps)
                schema[field] = node?["data_type"]?.GetValue<string>() ?? "";
        return new QdrantCollectionInfo(
            r["status"]?.GetValue<string>() ?? "unknown",
            r["points_count"] is JsonValue pc ? pc.GetValue<long>() : null,
            dense, sparse, schema);
    }

    private static (int, string) VectorParams(JsonObject v, string where)
    {
        var size = v["size"] is JsonValue s && s.TryGetValue<int>(out var n) ? n : throw new QdrantException($"{where}: a vector has no integer size");
        var distance = v["distance"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : throw new QdrantException($"{where}: a vector has no distance");
        return (size, distance);
    }

    private static List<QdrantScoredPoint> ParsePoints(JsonNode? points)
    {
        if (points is not JsonArray array) throw new QdrantException("Qdrant search: the answer has no list of points");
        return array.Select(p => new QdrantScoredPoint(
            p!["id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : p["id"]!.ToJsonString(),
            p["score"]!.GetValue<double>(),
            p["payload"] as JsonObject)).ToList();
    }

    // ---- transport ------------------------------------------------------------------------------------------------------

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// Sends one request (retrying transient failures) and returns the status and the body's "result". With
    /// <paramref name="notFoundIsResult"/> a 404 is an answer (a missing collection), not an error; with
    /// <paramref name="routeMissingIsResult"/> only a 404 without Qdrant's error body is (the endpoint does not exist).
    /// </summary>
    private async Task<(HttpStatusCode status, JsonNode? result)> SendAsync(HttpMethod method, string pathAndQuery, JsonNode? body,
        CancellationToken cancellationToken, bool notFoundIsResult = false, bool routeMissingIsResult = false)
    {
        var uri = new Uri(options.Url, options.Url.AbsolutePath.TrimEnd('/') + "/" + pathAndQuery);
        var shown = $"{method} /{pathAndQuery}";
        var payload = body?.ToJsonString();
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
            if (options.ApiKey is { } key) request.Headers.Add("api-key", key);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Connection refused or reset, DNS failure, HttpClient timeout: the server may come back.
                if (attempt >= options.MaxRetries)
                    throw new QdrantUnavailableException($"Qdrant at {options.Url} is unreachable ({shown}, {attempt + 1} tries): {e.Message}", inner: e);
                await delay(Backoff(attempt, null), cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = response.StatusCode;
                if (response.IsSuccessStatusCode) return (status, ParseResult(text, shown));
                if (IsTransient(status) && attempt < options.MaxRetries)
                {
                    await delay(Backoff(attempt, response.Headers.RetryAfter), cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var serverError = ServerError(text);
                if (status == HttpStatusCode.NotFound && (notFoundIsResult || (routeMissingIsResult && serverError is null)))
                    return (status, null);
                if (IsTransient(status))
                    throw new QdrantUnavailableException(
                        $"Qdrant at {options.Url} kept failing ({shown}): {(int)status} {response.ReasonPhrase} after {attempt + 1} tries", status);
                throw new QdrantException(
                    $"Qdrant {shown}: {(int)status} {response.ReasonPhrase}: {serverError ?? Truncate(text)}", status, serverError);
            }
        }
    }

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        var wait = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : options.InitialBackoff * Math.Pow(2, attempt));
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > options.MaxBackoff ? options.MaxBackoff : wait;
    }

    private static JsonNode? ParseResult(string text, string shown)
    {
        try
        {
            return JsonNode.Parse(text)?["result"];
        }
        catch (JsonException e)
        {
            throw new QdrantException($"Qdrant {shown}: the answer is not JSON ({e.Message}): {Truncate(text)}");
        }
    }

    /// <summary>Qdrant's error text from <c>{"status": {"error": "..."}}</c>, or null for any other body.</summary>
    private static string? ServerError(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["status"]?["error"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
