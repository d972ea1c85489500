using ChatPlatform.Llm.Embeddings;

namespace ChatPlatform.Web.Tests;

/// <summary>/v1/embeddings through the SDK's EmbeddingClient against the tiny BERT checkpoint in the Llm tests.</summary>
public sealed class EmbeddingsTests
{
    private static ServingApp App() => new(new() { ["Serving:EmbeddingModel"] = ServingApp.TinyBert });

    [Fact]
    public async Task TheSdkGetsTheModelsOwnVectors()
    {
        using var app = App();
        var ct = TestContext.Current.CancellationToken;
        string[] texts = ["How do I reset my router?", "Hold the reset button for ten seconds."];
        var served = (await app.Embeddings("tiny-bert").GenerateEmbeddingsAsync(texts, cancellationToken: ct)).Value;  // base64 on the wire

        using var generator = LocalEmbeddingGenerator.Load(ServingApp.TinyBert);
        var expected = await generator.GenerateAsync(texts, cancellationToken: ct);
        Assert.Equal(2, served.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(i, served[i].Index);
            Assert.Equal(expected[i].Vector.ToArray(), served[i].ToFloats().ToArray());
        }
        Assert.Equal((int)expected.Usage!.InputTokenCount!, served.Usage.InputTokenCount);
    }

    [Fact]
    public async Task FloatEncodingAndASingleStringInput()
    {
        using var app = App();
        var ct = TestContext.Current.CancellationToken;
        var response = await app.Http().PostAsync("/v1/embeddings", new StringContent(
            """{"model":"tiny-bert","input":"hello","encoding_format":"float"}""", System.Text.Encoding.UTF8, "application/json"), ct);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal("list", json.GetProperty("object").GetString());
        var vector = json.GetProperty("data")[0].GetProperty("embedding");
        Assert.Equal(System.Text.Json.JsonValueKind.Array, vector.ValueKind);
        using var generator = LocalEmbeddingGenerator.Load(ServingApp.TinyBert);
        Assert.Equal(generator.Dimension, vector.GetArrayLength());

        var models = await app.Http().GetStringAsync("/v1/models", ct);
        Assert.Contains("\"tiny-bert\"", models);
    }

    [Fact]
    public async Task BadInputsAndUnknownModelsAreOpenAiErrors()
    {
        using var app = App();
        var ct = TestContext.Current.CancellationToken;
        async Task<ErrorBody> Post(string body) => await ErrorBody.ReadAsync(await app.Http().PostAsync("/v1/embeddings",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct));
        var tokens = await Post("""{"model":"tiny-bert","input":[[1,2,3]]}""");
        Assert.Equal((400, "input[0]"), (tokens.Status, tokens.Param));
        var unknown = await Post("""{"model":"text-embedding-3-small","input":"x"}""");
        Assert.Equal((404, "model_not_found"), (unknown.Status, unknown.Code));
    }
}
