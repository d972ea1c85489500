using OpenAI.Chat;

namespace ChatPlatform.Web.Tests;

/// <summary>
/// Many streaming clients at once: the inference thread decodes them together, and each still gets exactly the reply
/// it gets alone, with its own usage and finish reason.
/// </summary>
public sealed class ConcurrentStreamingTests
{
    private static readonly string[] Questions =
    [
        "Once upon a time", "Tell me about a dog.", "Lily went to the park.", "What did the cat see?",
        "Tom and his big red ball.", "The sun was hot.", "A little bird sang.", "Sue found a box.",
        "Ben liked to run.", "The tree was tall and green.", "Mom made a cake.", "It was a rainy day.",
    ];

    [Fact]
    public async Task ConcurrentStreamsEachGetTheReplyTheyGetAlone()
    {
        using var app = new ServingApp();
        var client = app.Chat();
        var ct = TestContext.Current.CancellationToken;
        ChatCompletionOptions Options(int i) => new() { Temperature = 0, MaxOutputTokenCount = 20 + 5 * i };

        var alone = new List<ChatCompletion>();
        for (var i = 0; i < Questions.Length; i++)
            alone.Add(await client.CompleteChatAsync([new UserChatMessage(Questions[i])], Options(i), ct));

        async Task<(string text, ChatTokenUsage? usage, ChatFinishReason? finish)> Stream(int i)
        {
            var text = new System.Text.StringBuilder();
            ChatTokenUsage? usage = null;
            ChatFinishReason? finish = null;
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(Questions[i])], Options(i), ct))
            {
                foreach (var part in update.ContentUpdate) text.Append(part.Text);
                usage ??= update.Usage;
                finish ??= update.FinishReason;
            }
            return (text.ToString(), usage, finish);
        }
        var streamed = await Task.WhenAll(Enumerable.Range(0, Questions.Length).Select(Stream));

        for (var i = 0; i < Questions.Length; i++)
        {
            Assert.Equal(alone[i].Content[0].Text, streamed[i].text);
            Assert.Equal(alone[i].FinishReason, streamed[i].finish);
            Assert.Equal(alone[i].Usage.InputTokenCount, streamed[i].usage!.InputTokenCount);
            Assert.Equal(alone[i].Usage.OutputTokenCount, streamed[i].usage!.OutputTokenCount);
        }
        Assert.Contains(alone, c => c.FinishReason == ChatFinishReason.Length);   // budgets differ, so some leave early
    }
}
