using System.Runtime.CompilerServices;
using System.Text.Json;
using ChatPlatform.Llm;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Peft;
using ChatPlatform.Torch;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace ChatPlatform.Web.Tests;

/// <summary>Swapping the served version while a streaming /v1 answer is in flight, with the real stories260K checkpoint.</summary>
public sealed class HotSwapApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Passes the model's first piece on at once and holds the rest until the gate opens, so the swap surely lands mid-answer.</summary>
    private sealed class GatedChatClient(IChatClient inner, Task gate) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var first = true;
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                if (!first) await gate.WaitAsync(cancellationToken);
                first = false;
                yield return update;
            }
        }
    }

    private static string Request(string model, bool stream) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":12,"temperature":0,"stream":{{(stream ? "true" : "false")}}}""";

    [Fact]
    public async Task AnAnswerInFlightFinishesOnItsVersionAndTheNextRequestGetsTheNewOne()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var app = new ServingApp(services: s => s.AddSingleton<ChatClientFactory>(_ => m => new GatedChatClient(new LocalChatClient(m), gate.Task)));
        var http = app.Http();
        var served = app.Services.GetRequiredService<ServedModel>();
        LoadedModel a;
        using (var lease = served.TryLease()!) a = lease.Version;
        Assert.Equal(ServingApp.ModelId, a.Spec.Id);

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(Request(ServingApp.ModelId, stream: true), System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var chunks = new List<JsonElement>();
        // the role chunk, then the first piece of text
        while (chunks.Count < 2 && await reader.ReadLineAsync(Ct) is { } line)
            if (line.StartsWith("data: {", StringComparison.Ordinal)) chunks.Add(JsonDocument.Parse(line[6..]).RootElement);

        var b = new ModelSpec("b", SharedModels.Folder(SharedModels.Stories260K), null);
        await served.SwapAsync(b, Ct);
        Assert.Equal("b", served.Current?.Id);
        Assert.False(a.IsDisposed);  // the answer in flight still holds version A

        gate.SetResult();
        var done = false;
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line == "data: [DONE]") done = true;
            else if (line.StartsWith("data: {", StringComparison.Ordinal)) chunks.Add(JsonDocument.Parse(line[6..]).RootElement);
        }
        Assert.True(done, "the stream ended without [DONE]");
        Assert.All(chunks, c => Assert.Equal(ServingApp.ModelId, c.GetProperty("model").GetString()));
        Assert.Contains(chunks, c => c.GetProperty("choices") is { } choices && choices.GetArrayLength() > 0
                                     && choices[0].TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String);
        Assert.True(chunks.Count > 3, $"expected several pieces of text, got {chunks.Count} chunks");
        await a.Unloaded.WaitAsync(Ct);  // released when that answer ended

        var old = await ErrorBody.ReadAsync(await app.PostCompletionAsync(Request(ServingApp.ModelId, stream: false)));
        Assert.Equal(404, old.Status);
        Assert.Contains("'b'", old.Message);
        var next = await app.PostCompletionAsync(Request("b", stream: false));
        Assert.Equal(200, (int)next.StatusCode);
        using var body = JsonDocument.Parse(await next.Content.ReadAsStringAsync(Ct));
        Assert.Equal("b", body.RootElement.GetProperty("model").GetString());
    }

    /// <summary>
    /// A LoRA adapter for stories260K with random (non-zero) B matrices: the same base, answering differently.
    /// Written like a training run's output (PEFT layout), so serving loads it the way it loads a trained adapter.
    /// </summary>
    private static void WriteRandomAdapter(string folder, string baseModel)
    {
        using var model = LocalModel.Load(baseModel);
        var config = new LoraConfig { R = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "down_proj"], BaseModelNameOrPath = baseModel };
        var adapters = LoraAdapter.Apply(model.Model, config);
        using (var g = new Generator(17))
        using (torch.no_grad())
            foreach (var a in adapters.Values) a.B.weight.normal_(0, 0.5, g);
        LoraAdapter.Save(folder, adapters, config);
    }

    /// <summary>What a model version answers on its own, greedy, outside the server: the reference for both versions.</summary>
    private static async Task<string> AloneAsync(string baseModel, string? adapter)
    {
        using var model = LocalModel.Load(baseModel, adapter: adapter);
        using var client = new LocalChatClient(model);
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")],
            new ChatOptions { MaxOutputTokens = 12, Temperature = 0 }, Ct);
        return response.Text;
    }

    [Fact]
    public async Task SwappingToAnotherAdapterOfTheSameBaseKeepsTheAnswerInFlightOnTheOldOne()
    {
        var baseModel = SharedModels.Folder(SharedModels.Stories260K);
        using var adapterFolder = new TempFolder();
        WriteRandomAdapter(adapterFolder.Path, baseModel);
        var baseAnswer = await AloneAsync(baseModel, null);
        var adaptedAnswer = await AloneAsync(baseModel, adapterFolder.Path);
        Assert.NotEqual(baseAnswer, adaptedAnswer);   // otherwise the swap below could not be told apart

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var app = new ServingApp(services: s => s.AddSingleton<ChatClientFactory>(_ => m => new GatedChatClient(new LocalChatClient(m), gate.Task)));
        var http = app.Http();
        var served = app.Services.GetRequiredService<ServedModel>();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(Request(ServingApp.ModelId, stream: true), System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var text = new System.Text.StringBuilder();
        void Take(string line)
        {
            var choices = JsonDocument.Parse(line[6..]).RootElement.GetProperty("choices");
            if (choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content))
                text.Append(content.GetString());
        }
        // the role chunk, then the first piece of text: the answer is under way on the base version
        for (var seen = 0; seen < 2 && await reader.ReadLineAsync(Ct) is { } line;)
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                Take(line);
                seen++;
            }

        await served.SwapAsync(new ModelSpec("adapted", baseModel, adapterFolder.Path), Ct);
        Assert.Equal("adapted", served.Current?.Id);
        gate.SetResult();
        while (await reader.ReadLineAsync(Ct) is { } line)
            if (line.StartsWith("data: {", StringComparison.Ordinal)) Take(line);
        Assert.Equal(baseAnswer, text.ToString());   // finished on the version it started on, token for token

        var next = await app.PostCompletionAsync(Request("adapted", stream: false));
        Assert.Equal(200, (int)next.StatusCode);
        using var body = JsonDocument.Parse(await next.Content.ReadAsStringAsync(Ct));
        Assert.Equal(adaptedAnswer, body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
