using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatPlatform.Rag.Tests.Qdrant;

/// <summary>
/// An HTTP double for Qdrant: records every request (method, path and query, api-key header, JSON body) and answers
/// from a script of responses shaped like Qdrant's documented ones (<c>{"result": ..., "status": "ok", "time": ...}</c>,
/// errors as <c>{"status": {"error": "..."}, "time": ...}</c>).
/// </summary>
internal sealed class FakeQdrantHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> script = new();

    public sealed record Request(string Method, string PathAndQuery, string? ApiKey, JsonNode? Body);

    public List<Request> Requests { get; } = [];

    public FakeQdrantHandler Ok(string resultJson) => Respond(HttpStatusCode.OK, $$"""{"result": {{resultJson}}, "status": "ok", "time": 0.000512}""");

    public FakeQdrantHandler Error(HttpStatusCode status, string error) =>
        Respond(status, $$"""{"status": {"error": "{{error}}"}, "time": 0.000021}""");

    public FakeQdrantHandler Respond(HttpStatusCode status, string body, Action<HttpResponseMessage>? headers = null)
    {
        script.Enqueue(() =>
        {
            var r = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            headers?.Invoke(r);
            return r;
        });
        return this;
    }

    /// <summary>A connection that is refused, as HttpClient reports it.</summary>
    public FakeQdrantHandler Refuse()
    {
        script.Enqueue(() => throw new HttpRequestException("Connection refused (127.0.0.1:6333)",
            new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken));
        Requests.Add(new Request(request.Method.Method, request.RequestUri!.PathAndQuery,
            request.Headers.TryGetValues("api-key", out var keys) ? keys.Single() : null, body));
        if (script.Count == 0) throw new InvalidOperationException($"unexpected request {request.Method} {request.RequestUri}");
        return script.Dequeue()();
    }
}
