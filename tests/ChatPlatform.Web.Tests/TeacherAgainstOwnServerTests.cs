using System.ClientModel;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Teacher;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// The data pipeline's teacher path (Core's IChatClient over the OpenAI SDK) against our own OpenAI-compatible server:
/// the platform can be its own teacher. The tiny story model cannot write the strict JSON a teacher must return, which
/// exercises the path that reports a bad answer instead of storing an empty example.
/// </summary>
public sealed class TeacherAgainstOwnServerTests
{
    [Fact]
    public async Task CoresTeacherClientTalksToTheServingApi()
    {
        using var app = new ServingApp();
        var ct = TestContext.Current.CancellationToken;
        var endpoint = new Uri(app.Server.BaseAddress, "/v1");
        using var client = new OpenAIChatClientAdapter(
            new OpenAI.Chat.ChatClient(ServingApp.ModelId, new ApiKeyCredential("no-key"), app.SdkOptions()), ServingApp.ModelId, endpoint);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 24 }, ct);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage?.OutputTokenCount is > 0 and <= 24);

        var writer = new TeacherQaWriter(new TeacherModel(client, new TeacherOptions(endpoint.ToString(), ServingApp.ModelId, "no-key",
            MaxAttempts: 1)));
        var summary = new GenerationSummary();
        var section = new DocumentSection("doc-1", "Returns", ["Returns"], "Returns are accepted within 30 days of delivery.", "chunk-1");
        var examples = await writer.WriteFromChunkAsync(section, null, summary, ct);

        Assert.Empty(examples);
        Assert.Equal(1, summary.TeacherCalls);
        Assert.NotEmpty(summary.TeacherErrors);
    }
}
