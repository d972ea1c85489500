using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.Core.Tests.Teacher;

/// <summary>
/// A local HTTP double of the OpenAI chat completions API on 127.0.0.1: it records each request's path, headers and
/// JSON body and answers with the next scripted response (status + body, or a hang to provoke a timeout).
/// </summary>
internal sealed class FakeOpenAIServer : IDisposable
{
    readonly HttpListener listener = new();
    readonly Queue<Func<HttpListenerResponse, Task>> script = new();
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public List<(string Path, string? Authorization, JsonElement Body)> Requests { get; } = [];
    public string BaseUrl { get; }

    public FakeOpenAIServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The documented response shape of POST /v1/chat/completions.</summary>
    public static string Completion(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test", @object = "chat.completion", created = 1_700_000_000, model = "teacher-7b",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 50, completion_tokens = 20, total_tokens = 70 },
    });

    public void Reply(int status, string body) => script.Enqueue(async r =>
    {
        r.StatusCode = status;
        r.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        await r.OutputStream.WriteAsync(bytes);
        r.Close();
    });

    public void ReplyCompletion(string content) => Reply(200, Completion(content));

    /// <summary>Never answers (until the server stops): the client's timeout must fire.</summary>
    public void Hang() => script.Enqueue(async r =>
    {
        try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
        r.Abort();
    });

    async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) when (stop.IsCancellationRequested) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Func<HttpListenerResponse, Task> respond;
            lock (Requests)
            {
                Requests.Add((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], JsonDocument.Parse(body).RootElement.Clone()));
                respond = script.Count > 0 ? script.Dequeue() : r => { r.StatusCode = 599; r.Close(); return Task.CompletedTask; };
            }
            _ = Task.Run(() => respond(context.Response));
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
