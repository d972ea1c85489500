using ChatPlatform.Llm.Generation;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Llm.Tests.Generation;

/// <summary>The local model as an IChatClient, on the real stories260K checkpoint (greedy unless a test says otherwise).</summary>
public sealed class LocalChatClientTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "Once upon a time")];

    private static (LocalModel, LocalChatClient) Client()
    {
        var model = LocalModel.Load(SharedModels.Folder(SharedModels.Stories260K));
        return (model, new LocalChatClient(model));
    }

    [Fact]
    public async Task StreamingPiecesAddUpToTheResponseWithUsage()
    {
        var (model, client) = Client();
        using var _ = model;
        using var __ = client;
        var options = new ChatOptions { MaxOutputTokens = 40, Temperature = 0 };
        var pieces = new List<string>();
        UsageDetails? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.GetStreamingResponseAsync(Conversation, options, TestContext.Current.CancellationToken))
        {
            pieces.Add(update.Text);
            usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
            finish ??= update.FinishReason;
        }
        var response = await client.GetResponseAsync(Conversation, options, TestContext.Current.CancellationToken);
        Assert.Equal(response.Text, string.Concat(pieces));
        Assert.True(pieces.Count(p => p.Length > 0) > 5, "the reply should arrive in many pieces");
        var prompt = model.Tokenizer.Encode(model.RenderChat([new("user", "Once upon a time")], true), addSpecialTokens: false);
        Assert.Equal(prompt.Length, usage!.InputTokenCount);
        Assert.Equal(40, usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal(40, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task StopSequencesEndTheReplyBeforeTheMatch()
    {
        var (model, client) = Client();
        using var _ = model;
        using var __ = client;
        var full = (await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 60, Temperature = 0 },
            TestContext.Current.CancellationToken)).Text;
        var words = full.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var stop = words[4];
        var cut = (await client.GetResponseAsync(Conversation, new ChatOptions { MaxOutputTokens = 60, Temperature = 0, StopSequences = [stop] },
            TestContext.Current.CancellationToken));
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
    }

    [Fact]
    public async Task SeedMakesSamplingReproducible()
    {
        var (model, client) = Client();
        using var _ = model;
        using var __ = client;
        ChatOptions Options(long seed) => new() { MaxOutputTokens = 30, Temperature = 1.0f, TopP = 0.9f, Seed = seed };
        var ct = TestContext.Current.CancellationToken;
        var a = (await client.GetResponseAsync(Conversation, Options(1), ct)).Text;
        Assert.Equal(a, (await client.GetResponseAsync(Conversation, Options(1), ct)).Text);
        Assert.NotEqual(a, (await client.GetResponseAsync(Conversation, Options(2), ct)).Text);
    }

    [Fact]
    public async Task CancellingStopsTheWorkerAtTheNextToken()
    {
        var model = LocalModel.Load(SharedModels.Folder(SharedModels.Stories260K));
        using var _ = model;
        using var worker = new InferenceWorker(model.Model);
        using var cts = new CancellationTokenSource();
        var tokens = worker.Submit([1, 403, 407], 500, SamplingOptions.Greedy, new HashSet<int>(), cts.Token);
        Assert.True(await tokens.WaitToReadAsync(TestContext.Current.CancellationToken));
        cts.Cancel();
        var produced = 0;
        var finish = FinishReason.None;
        await foreach (var t in tokens.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            if (t.TokenId < 0) finish = t.Finish;
            else produced++;
        }
        Assert.Equal(FinishReason.Cancelled, finish);
        Assert.True(produced < 500, $"the worker produced {produced} tokens after cancellation");

        // and it is free for the next request at once
        var next = worker.Submit([1, 403], 3, SamplingOptions.Greedy, new HashSet<int>(), TestContext.Current.CancellationToken);
        var count = 0;
        await foreach (var t in next.ReadAllAsync(TestContext.Current.CancellationToken)) count += t.TokenId >= 0 ? 1 : 0;
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task APromptThatFillsTheContextIsAClearError()
    {
        var (model, client) = Client();
        using var _ = model;
        using var __ = client;
        var huge = string.Join(' ', Enumerable.Repeat("story", 600));
        await Assert.ThrowsAsync<ContextLengthException>(() =>
            client.GetResponseAsync([new ChatMessage(ChatRole.User, huge)], cancellationToken: TestContext.Current.CancellationToken));
    }
}
