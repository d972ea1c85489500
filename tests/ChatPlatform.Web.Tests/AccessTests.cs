using System.ClientModel;
using OpenAI.Chat;

namespace ChatPlatform.Web.Tests;

/// <summary>API keys and per-client rate limits.</summary>
public sealed class AccessTests
{
    private const string Body = """{"model":"stories260K-hf","messages":[{"role":"user","content":"Once"}],"max_tokens":2}""";

    [Fact]
    public async Task WithKeysConfiguredOnlyAKnownBearerKeyGetsIn()
    {
        using var app = new ServingApp(new() { ["Serving:ApiKeys:0"] = "key-one", ["Serving:ApiKeys:1"] = "key-two" });

        var missing = await ErrorBody.ReadAsync(await app.PostCompletionAsync(Body));
        Assert.Equal(401, missing.Status);
        Assert.Equal("invalid_api_key", missing.Code);
        Assert.Contains("didn't provide an API key", missing.Message);

        var wrong = await ErrorBody.ReadAsync(await app.PostCompletionAsync(Body, key: "key-three"));
        Assert.Equal(401, wrong.Status);
        Assert.Equal("invalid_api_key", wrong.Code);

        // the SDK surfaces the 401 as a ClientResultException
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => app.Chat("nope").CompleteChatAsync([new UserChatMessage("Once")],
            new ChatCompletionOptions { MaxOutputTokenCount = 2 }, TestContext.Current.CancellationToken));
        Assert.Equal(401, refused.Status);

        ChatCompletion ok = await app.Chat("key-two").CompleteChatAsync([new UserChatMessage("Once")],
            new ChatCompletionOptions { MaxOutputTokenCount = 2 }, TestContext.Current.CancellationToken);
        Assert.Equal(2, ok.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task OverTheRateLimitIsA429WithRetryAfter()
    {
        using var app = new ServingApp(new() { ["Serving:RequestsPerMinute"] = "2", ["Serving:ApiKeys:0"] = "a", ["Serving:ApiKeys:1"] = "b" });
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(200, (int)(await app.Http("a").GetAsync("/v1/models", ct)).StatusCode);
        Assert.Equal(200, (int)(await app.PostCompletionAsync(Body, key: "a")).StatusCode);
        var limited = await app.Http("a").GetAsync("/v1/models", ct);
        var error = await ErrorBody.ReadAsync(limited);
        Assert.Equal(429, error.Status);
        Assert.Equal("rate_limit_exceeded", error.Code);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);

        // the limit is per client: another key still gets in, and bad keys do not use up anyone's allowance
        Assert.Equal(401, (int)(await app.Http("wrong").GetAsync("/v1/models", ct)).StatusCode);
        Assert.Equal(200, (int)(await app.Http("b").GetAsync("/v1/models", ct)).StatusCode);
    }
}
