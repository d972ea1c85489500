using System.Text.Json;
using OpenAI.Chat;

namespace ChatPlatform.Web.Tests;

/// <summary>/v1/chat/completions grounded on the knowledge base on request: the model-name suffix and the "retrieval" field.</summary>
public sealed class RetrievalCompletionTests : IClassFixture<RetrievalCompletionTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public ServingApp App { get; } = new();
        public async ValueTask InitializeAsync() => await WidgetTestSite.SeedKnowledgeAsync(App.Services);
        public ValueTask DisposeAsync()
        {
            App.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private readonly ServingApp app;
    public RetrievalCompletionTests(Fixture fixture) => app = fixture.App;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Question = "How long is the Zephyr router warranty?";

    private static string Body(string model, string extra = "", bool stream = false) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{Question}}"}],"max_tokens":16,"temperature":0,"stream":{{(stream ? "true" : "false")}}{{extra}}}""";

    [Fact]
    public async Task TheSuffixGroundsTheAnswerAndReturnsItsCitations()
    {
        using var plain = JsonDocument.Parse(await (await app.PostCompletionAsync(Body(ServingApp.ModelId))).Content.ReadAsStringAsync(Ct));
        var response = await app.PostCompletionAsync(Body(ServingApp.ModelId + "+rag"));
        Assert.Equal(200, (int)response.StatusCode);
        using var grounded = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.False(plain.RootElement.TryGetProperty("citations", out _), "no retrieval, no citations");
        var citation = Assert.Single(grounded.RootElement.GetProperty("citations").EnumerateArray());
        Assert.Equal(1, citation.GetProperty("number").GetInt32());
        Assert.Equal("Warranty terms", citation.GetProperty("title").GetString());
        Assert.Equal("Coverage", citation.GetProperty("section").GetString());
        Assert.Equal("warranty-terms.md", citation.GetProperty("path").GetString());
        Assert.Contains("three years", citation.GetProperty("snippet").GetString());
        Assert.False(string.IsNullOrEmpty(citation.GetProperty("chunk_id").GetString()));
        Assert.Equal(ServingApp.ModelId + "+rag", grounded.RootElement.GetProperty("model").GetString());
        // the source went into the prompt: the grounded prompt is longer than the bare question
        Assert.True(PromptTokens(grounded) > PromptTokens(plain) + 10, $"{PromptTokens(grounded)} vs {PromptTokens(plain)} prompt tokens");
    }

    [Fact]
    public async Task TheOpenAiSdkUsesTheSuffixStreamingAndNot()
    {
        var client = new ChatClient(ServingApp.ModelId + "+rag", new System.ClientModel.ApiKeyCredential("no-key"), app.SdkOptions());
        var messages = new ChatMessage[] { new UserChatMessage(Question) };
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0 };
        ChatCompletion completion = await client.CompleteChatAsync(messages, options, Ct);
        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));

        var streamed = new List<string>();
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options, Ct))
        {
            streamed.AddRange(update.ContentUpdate.Select(p => p.Text));
            finish ??= update.FinishReason;
        }
        Assert.Equal(completion.Content[0].Text, string.Concat(streamed));
        Assert.Equal(completion.FinishReason, finish);
        Assert.True(completion.Usage.InputTokenCount > 30, "the sources are in the prompt");
    }

    [Fact]
    public async Task AStreamCarriesTheCitationsInAChunkBeforeDone()
    {
        var response = await app.PostCompletionAsync(Body(ServingApp.ModelId, ""","retrieval":{"top_k":3},"stream_options":{"include_usage":true}""", stream: true));
        Assert.Equal(200, (int)response.StatusCode);
        var events = (await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var finishAt = chunks.FindIndex(c => c.GetProperty("choices").EnumerateArray().Any(x => x.TryGetProperty("finish_reason", out _)));
        var citationsAt = chunks.FindIndex(c => c.TryGetProperty("citations", out _));
        Assert.True(finishAt >= 0 && citationsAt == finishAt + 1, $"citations chunk at {citationsAt}, finish at {finishAt}");
        Assert.Empty(chunks[citationsAt].GetProperty("choices").EnumerateArray());
        Assert.Equal("Warranty terms", chunks[citationsAt].GetProperty("citations")[0].GetProperty("title").GetString());
        Assert.Equal(1, chunks.Count(c => c.TryGetProperty("citations", out _)));
        Assert.True(chunks[^1].TryGetProperty("usage", out _), "usage still comes last");
    }

    [Theory]
    [InlineData(""","retrieval":"yes" """, "retrieval")]
    [InlineData(""","retrieval":{"top_k":0}""", "retrieval.top_k")]
    [InlineData(""","retrieval":{"top_k":2,"mode":"dense"}""", "retrieval.mode")]
    public async Task BadRetrievalFieldsAreNamed(string extra, string param)
    {
        var body = await ErrorBody.ReadAsync(await app.PostCompletionAsync(Body(ServingApp.ModelId, extra)));
        Assert.Equal((400, "invalid_request_error", param), (body.Status, body.Type, body.Param));
    }

    [Fact]
    public async Task RetrievalNeedsTheUsersQuestionLastAndTheSuffixAndFalseContradict()
    {
        var lastIsAssistant = $$"""{"model":"{{ServingApp.ModelId}}+rag","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}""";
        Assert.Equal((400, "messages"), Of(await ErrorBody.ReadAsync(await app.PostCompletionAsync(lastIsAssistant))));
        Assert.Equal((400, "retrieval"), Of(await ErrorBody.ReadAsync(await app.PostCompletionAsync(Body(ServingApp.ModelId + "+rag", ""","retrieval":false""")))));
        Assert.Equal((404, "model"), Of(await ErrorBody.ReadAsync(await app.PostCompletionAsync(Body("other-model+rag")))));

        static (int, string?) Of(ErrorBody e) => (e.Status, e.Param);
    }

    private static int PromptTokens(JsonDocument completion) => completion.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
}
