using ChatPlatform.Llm;
using OpenAI.Chat;

namespace ChatPlatform.Web.Tests;

/// <summary>/v1/chat/completions through the official OpenAI .NET SDK against the real tiny checkpoint.</summary>
public sealed class ChatCompletionTests : IClassFixture<ChatCompletionTests.Fixture>
{
    public sealed class Fixture : IDisposable
    {
        public ServingApp App { get; } = new();
        public void Dispose() => App.Dispose();
    }

    private readonly ServingApp app;

    public ChatCompletionTests(Fixture fixture) => app = fixture.App;

    private static readonly ChatMessage[] Conversation = [new SystemChatMessage("You tell short stories."), new UserChatMessage("Once upon a time")];

    private static int PromptTokens()
    {
        using var model = LocalModel.Load(SharedModels.Folder(SharedModels.Stories260K));
        var prompt = model.RenderChat([new("system", "You tell short stories."), new("user", "Once upon a time")], addGenerationPrompt: true);
        return model.Tokenizer.Encode(prompt, addSpecialTokens: false).Length;
    }

    [Fact]
    public async Task StreamedTextEqualsTheNonStreamedTextAtTemperatureZero()
    {
        var client = app.Chat();
        var ct = TestContext.Current.CancellationToken;
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 48 };
        ChatCompletion completion = await client.CompleteChatAsync(Conversation, options, ct);

        var pieces = new List<string>();
        ChatTokenUsage? streamedUsage = null;
        ChatFinishReason? streamedFinish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(Conversation, options, ct))
        {
            pieces.AddRange(update.ContentUpdate.Select(p => p.Text));
            streamedUsage ??= update.Usage;
            streamedFinish ??= update.FinishReason;
        }

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(completion.Content[0].Text, string.Concat(pieces));
        Assert.True(pieces.Count(p => p.Length > 0) > 5, "the reply should arrive in many events");
        Assert.Equal(ServingApp.ModelId, completion.Model);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        var prompt = PromptTokens();
        Assert.Equal(prompt, completion.Usage.InputTokenCount);
        Assert.Equal(prompt, streamedUsage!.InputTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount, streamedUsage.OutputTokenCount);
        Assert.Equal(prompt + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(completion.FinishReason, streamedFinish);
    }

    [Fact]
    public async Task MaxTokensEndsWithFinishReasonLength()
    {
        ChatCompletion completion = await app.Chat().CompleteChatAsync(Conversation,
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 7 }, TestContext.Current.CancellationToken);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task MaxTokensInTheOlderFieldIsHonouredToo()
    {
        var response = await app.PostCompletionAsync(
            """{"model":"stories260K-hf","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":5,"temperature":0}""");
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("length", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(5, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString());
        Assert.Equal(json.GetProperty("id").GetString(), response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task StopSequencesCutTheReplyBeforeTheMatch()
    {
        var client = app.Chat();
        var ct = TestContext.Current.CancellationToken;
        var full = (await client.CompleteChatAsync(Conversation, new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 60 }, ct)).Value.Content[0].Text;
        var stop = full.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4];
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 60, StopSequences = { stop, "never-appears-xyz" } };
        ChatCompletion cut = await client.CompleteChatAsync(Conversation, options, ct);
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], cut.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);

        var streamed = new List<string>();
        await foreach (var update in client.CompleteChatStreamingAsync(Conversation, options, ct)) streamed.AddRange(update.ContentUpdate.Select(p => p.Text));
        Assert.Equal(cut.Content[0].Text, string.Concat(streamed));
    }

    [Fact]
    public async Task SeedMakesSamplingReproducible()
    {
        var client = app.Chat();
        var ct = TestContext.Current.CancellationToken;
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK
        ChatCompletionOptions Options(long seed) => new() { Temperature = 1.0f, TopP = 0.95f, MaxOutputTokenCount = 30, Seed = seed };
#pragma warning restore OPENAI001
        async Task<string> Sample(long seed) => (await client.CompleteChatAsync(Conversation, Options(seed), ct)).Value.Content[0].Text;
        var a = await Sample(11);
        Assert.Equal(a, await Sample(11));
        Assert.NotEqual(a, await Sample(12));
    }

    [Fact]
    public async Task ANextTurnReportsThePromptTokensItsFirstTurnLeftInThePromptCache()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 24 };
        using var fresh = new ServingApp();
        var client = fresh.Chat();
        ChatCompletion first = await client.CompleteChatAsync(Conversation, options, ct);
        Assert.Equal(0, first.Usage.InputTokenDetails.CachedTokenCount);
        ChatMessage[] next = [.. Conversation, new AssistantChatMessage(first.Content[0].Text), new UserChatMessage("And then?")];
        ChatCompletion second = await client.CompleteChatAsync(next, options, ct);
        // The first turn's prompt and its answer (re-encoded from the text, as the template renders it), never all of it.
        Assert.InRange(second.Usage.InputTokenDetails.CachedTokenCount, first.Usage.InputTokenCount + 1, second.Usage.InputTokenCount - 1);

        // Without the cache: nothing reported cached, and the same answer.
        using var uncached = new ServingApp(new() { ["Serving:PromptCacheMegabytes"] = "0" });
        ChatCompletion again = await uncached.Chat().CompleteChatAsync(next, options, ct);
        Assert.Equal(0, again.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(second.Content[0].Text, again.Content[0].Text);
    }

    [Fact]
    public async Task ModelsListsTheServedModel()
    {
        var client = new OpenAI.Models.OpenAIModelClient(new System.ClientModel.ApiKeyCredential("no-key"), app.SdkOptions());
        var models = (await client.GetModelsAsync(TestContext.Current.CancellationToken)).Value;
        // the web app has a knowledge base, so the retrieval-grounded name is listed too
        Assert.Equal(new[] { ServingApp.ModelId, ServingApp.ModelId + "+rag" }, models.Select(m => m.Id));
        Assert.Equal(ServingApp.ModelId, (await client.GetModelAsync(ServingApp.ModelId, TestContext.Current.CancellationToken)).Value.Id);
    }
}
