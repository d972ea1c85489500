using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.RequestLogs;

/// <summary>
/// Chat middleware that writes a request's token counts, time to first token and finish reason into its
/// <see cref="RequestLogEntry"/> (and, only when the entry captures contents, the prompt and the answer). Outside a
/// logged request it passes everything through untouched.
/// </summary>
internal sealed class MeteredChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <summary>The client, metered once: a chain that already holds a MeteredChatClient is returned as it is.</summary>
    public static IChatClient Around(IChatClient chat) => chat.GetService<MeteredChatClient>() is null ? new MeteredChatClient(chat) : chat;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var entry = Begin(ref messages);
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        if (entry is not null)
        {
            Record(entry, response.Usage, response.FinishReason);
            entry.AppendCompletion(response.Text);
        }
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var entry = Begin(ref messages);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            if (entry is not null)
            {
                if (update.Text.Length > 0)
                {
                    entry.FirstToken(Stopwatch.GetTimestamp());
                    entry.AppendCompletion(update.Text);
                }
                Record(entry, update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details, update.FinishReason);
            }
            yield return update;
        }
    }

    private static RequestLogEntry? Begin(ref IEnumerable<ChatMessage> messages)
    {
        var entry = RequestLogEntry.Current;
        if (entry is { CapturesContents: true })
        {
            var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
            entry.SetPrompt(string.Join("\n", list.Select(m => $"{m.Role}: {m.Text}")));
            messages = list;
        }
        return entry;
    }

    private static void Record(RequestLogEntry entry, UsageDetails? usage, ChatFinishReason? finish)
    {
        if (usage?.InputTokenCount is { } input) entry.PromptTokens = (int)input;
        if (usage?.CachedInputTokenCount is { } cached) entry.CachedPromptTokens = (int)cached;
        if (usage?.OutputTokenCount is { } output) entry.CompletionTokens = (int)output;
        if (finish is { } f) entry.FinishReason = f == ChatFinishReason.Length ? "length" : f == ChatFinishReason.Stop ? "stop" : f.Value;
    }
}
