namespace ChatPlatform.Web.Tests;

/// <summary>Bad requests get OpenAI's error JSON with the right status and the offending field.</summary>
public sealed class RequestErrorTests : IClassFixture<ChatCompletionTests.Fixture>
{
    private readonly ServingApp app;

    public RequestErrorTests(ChatCompletionTests.Fixture fixture) => app = fixture.App;

    [Theory]
    [InlineData("""{"model":"stories260K-hf"}""", "messages", "'messages' is a required property")]
    [InlineData("""{"model":"stories260K-hf","messages":"hi"}""", "messages", "must be an array")]
    [InlineData("""{"model":"stories260K-hf","messages":[]}""", "messages", "at least one")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"user","content":42}]}""", "messages[0].content", "must be a string or an array")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role", "not 'robot'")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature", "must be a number")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"user","content":"hi"}],"temperature":3}""", "temperature", "at most 2")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens", "at least 1")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"user","content":"hi"}],"stop":5}""", "stop", "string or an array")]
    [InlineData("""{"model":"stories260K-hf","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream", "must be a boolean")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "'model' is a required property")]
    public async Task AWrongFieldIsA400NamingIt(string body, string param, string message)
    {
        var error = await ErrorBody.ReadAsync(await app.PostCompletionAsync(body));
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task MalformedJsonIsA400()
    {
        var error = await ErrorBody.ReadAsync(await app.PostCompletionAsync("{\"model\": \"stories260K-hf\", \"messages\": ["));
        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Contains("could not parse the JSON body", error.Message);
    }

    [Fact]
    public async Task AnUnknownModelIsA404()
    {
        var error = await ErrorBody.ReadAsync(await app.PostCompletionAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"""));
        Assert.Equal(404, error.Status);
        Assert.Equal("model_not_found", error.Code);
        Assert.Equal("model", error.Param);
        Assert.Contains("stories260K-hf", error.Message);
    }

    [Fact]
    public async Task APromptLongerThanTheContextIsA400()
    {
        var longText = string.Join(' ', Enumerable.Repeat("Once upon a time there was a little girl.", 200));
        var error = await ErrorBody.ReadAsync(await app.PostCompletionAsync(
            $$"""{"model":"stories260K-hf","stream":true,"messages":[{"role":"user","content":"{{longText}}"}]}"""));
        Assert.Equal(400, error.Status);
        Assert.Equal("context_length_exceeded", error.Code);
    }

    [Fact]
    public async Task AnUnknownV1RouteIsA404InOpenAiShape()
    {
        var error = await ErrorBody.ReadAsync(await app.Http().GetAsync("/v1/assistants", TestContext.Current.CancellationToken));
        Assert.Equal(404, error.Status);
        Assert.Equal("unknown_url", error.Code);
    }
}
