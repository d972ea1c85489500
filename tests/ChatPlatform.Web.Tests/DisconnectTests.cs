using System.Runtime.CompilerServices;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// A client that disconnects mid-stream cancels its generation and frees its place at once; a full queue refuses with 503.
/// The model is a chat client that sends one piece and then waits until it is cancelled, so the order of events is fixed
/// (the real engine's stop within one token of cancellation is tested in ChatPlatform.Llm.Tests' LocalChatClientTests).
/// </summary>
public sealed class DisconnectTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);  // a hang fails the test instead of blocking the run

    private sealed class WaitingChatClient : IChatClient
    {
        private int calls;
        public TaskCompletionSource FirstPieceSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref calls);
            yield return new ChatResponseUpdate(ChatRole.Assistant, "Hello");
            if (call == 1)
            {
                FirstPieceSent.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Cancelled.TrySetResult();
                    throw;
                }
            }
            yield return new ChatResponseUpdate(ChatRole.Assistant, " world")
            {
                FinishReason = ChatFinishReason.Stop,
                Contents = { new UsageContent(new UsageDetails { InputTokenCount = 3, OutputTokenCount = 2, TotalTokenCount = 5 }) },
            };
        }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private const string Request = """{"model":"stories260K-hf","messages":[{"role":"user","content":"Once"}]""";

    [Fact]
    public async Task DisconnectingCancelsTheGenerationAndTheNextRequestIsServed()
    {
        var model = new WaitingChatClient();
        using var app = new ServingApp(new() { ["Serving:MaxConcurrentRequests"] = "1", ["Serving:MaxQueueLength"] = "0" },
            services => services.AddSingleton<ChatClientFactory>(_ => _ => model));
        app.UseKestrel();  // a real socket, so closing it is a real disconnect
        app.StartServer();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = app.ClientOptions.BaseAddress };

        var streaming = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(Request + ""","stream":true}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await http.SendAsync(streaming, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? line;
        while ((line = await reader.ReadLineAsync(ct)) is not null && !line.Contains("Hello", StringComparison.Ordinal))
        {
        }
        Assert.NotNull(line);
        await model.FirstPieceSent.Task.WaitAsync(Guard, ct);

        // the one slot is taken and nobody may wait: the next request is refused
        var refused = await ErrorBody.ReadAsync(await http.PostAsync("/v1/chat/completions",
            new StringContent(Request + "}", System.Text.Encoding.UTF8, "application/json"), ct));
        Assert.Equal(503, refused.Status);
        Assert.Equal("overloaded", refused.Code);

        response.Dispose();  // the client goes away mid-stream
        await model.Cancelled.Task.WaitAsync(Guard, ct);

        // the slot is free again: the next request is served
        HttpResponseMessage next;
        do
        {
            // the handler releases its slot just after the generation observes the cancellation
            next = await http.PostAsync("/v1/chat/completions", new StringContent(Request + "}", System.Text.Encoding.UTF8, "application/json"), ct);
        }
        while ((int)next.StatusCode == 503 && !ct.IsCancellationRequested);
        Assert.Equal(200, (int)next.StatusCode);
        var body = await next.Content.ReadAsStringAsync(ct);
        Assert.Contains("Hello world", body);
    }
}
