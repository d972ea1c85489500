using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Rag.Prompting;
using ChatPlatform.Rag.Retrieval;
using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// One answer as server-sent events: <c>event: delta</c> with <c>{"text"}</c> per piece of text as the model writes it,
/// then <c>event: done</c> with the stored question and answer ids and the cited sources (<see cref="WidgetAnswerDone"/>).
/// Problems found before the first byte (queue full, a question that does not fit the model) are plain JSON errors
/// with their status; a failure later ends the stream with <c>event: error</c> <c>{"error"}</c>. The question and the
/// answer are stored when the answer is complete; a conversation the customer abandoned mid-answer keeps neither.
/// With no model served, the one delta is <see cref="PassagesAnswer"/>'s notice with the best passages.
/// </summary>
internal sealed class WidgetAnswerStream(WidgetAssistant assistant, ChatSession session, string question,
    IDbContextFactory<PlatformDbContext> contexts) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(assistant.Timeout);
        var ct = timeout.Token;
        // The answer is written by the version served now, to its end, even if another is activated meanwhile.
        using var model = assistant.Served.TryLease();
        if (model is null)
        {
            await using var passages = PassagesUpdates(ct).GetAsyncEnumerator(ct);
            await StreamAsync(http, passages, await passages.MoveNextAsync(), ct);
            return;
        }
        IDisposable turn;
        try
        {
            turn = await assistant.Queue.EnterAsync("widget:" + WidgetRateLimits.ClientIp(http), ct);
        }
        catch (QueueFullException)
        {
            await WidgetError.WriteAsync(http, StatusCodes.Status503ServiceUnavailable,
                "The assistant is busy answering other customers. Please try again in a minute.");
            return;
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await WidgetError.WriteAsync(http, StatusCodes.Status504GatewayTimeout, "The assistant took too long to answer. Please try again.");
            return;
        }
        using (turn)
        {
            var (client, options) = assistant.For(model);
            var updates = client.GetStreamingResponseAsync(Conversation(), options, ct).GetAsyncEnumerator(ct);
            try
            {
                bool hasFirst;
                try
                {
                    hasFirst = await updates.MoveNextAsync();
                }
                catch (Exception e) when (e is ContextLengthException or InvalidOperationException && !ct.IsCancellationRequested)
                {
                    // the grounded prompt builder refuses a question that leaves no room for an answer
                    await WidgetError.WriteAsync(http, StatusCodes.Status413PayloadTooLarge,
                        "The question is too long for the assistant to answer. Please shorten it.");
                    return;
                }
                await StreamAsync(http, updates, hasFirst, ct);
            }
            finally
            {
                await updates.DisposeAsync();  // stops generation if the customer went away
            }
        }
    }

    /// <summary>The no-model answer as one update carrying the passages' citations, as the retrieval client attaches them.</summary>
    private async IAsyncEnumerable<ChatResponseUpdate> PassagesUpdates([EnumeratorCancellation] CancellationToken ct)
    {
        var (text, citations) = await PassagesAnswer.BuildAsync(assistant.Retriever, question, assistant.TopK, ct);
        yield return new ChatResponseUpdate(ChatRole.Assistant, text) { AdditionalProperties = new() { [RetrievalChatClient.CitationsKey] = citations } };
    }

    private async Task StreamAsync(HttpContext http, IAsyncEnumerator<ChatResponseUpdate> updates, bool hasFirst, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var answer = new StringBuilder();
        IReadOnlyList<Citation> citations = [];
        try
        {
            for (var more = hasFirst; more; more = await updates.MoveNextAsync())
            {
                var update = updates.Current;
                if (update.AdditionalProperties?.TryGetValue(RetrievalChatClient.CitationsKey, out var c) == true && c is IReadOnlyList<Citation> cited)
                    citations = cited;
                if (update.Text.Length == 0) continue;
                answer.Append(update.Text);
                await WriteEventAsync(http, "delta", new { text = update.Text }, ct);
            }
            var sources = citations.Select(WidgetSource.Of).ToList();
            var (questionId, answerId) = await SaveAsync(answer.ToString(), sources, ct);
            await WriteEventAsync(http, "done", new WidgetAnswerDone(questionId, answerId, sources), ct);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // the customer closed the page; nothing is left to tell
        }
        catch (OperationCanceledException)
        {
            await WriteEventAsync(http, "error", new { error = "The assistant took too long to answer. Please try again." }, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            http.RequestServices.GetRequiredService<ILogger<WidgetAnswerStream>>().LogError(e, "Widget answer in session {Session} failed", session.PublicId);
            await WriteEventAsync(http, "error", new { error = "Something went wrong while answering. Please try again." }, CancellationToken.None);
        }
    }

    /// <summary>The stored conversation, oldest first, then the new question (the grounded prompt drops old turns that do not fit).</summary>
    private List<ChatMessage> Conversation()
    {
        var messages = session.Messages.OrderBy(m => m.Ordinal)
            .Select(m => new ChatMessage(m.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, m.Content)).ToList();
        messages.Add(new ChatMessage(ChatRole.User, question));
        return messages;
    }

    private async Task<(long QuestionId, long AnswerId)> SaveAsync(string answer, List<WidgetSource> sources, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var next = await db.ChatMessages.Where(m => m.SessionId == session.Id).Select(m => (int?)m.Ordinal).MaxAsync(ct) ?? -1;
        var now = DateTimeOffset.UtcNow;
        var asked = new ChatMessageRecord { SessionId = session.Id, Ordinal = next + 1, Role = "user", Content = question, CreatedAt = now };
        var answered = new ChatMessageRecord
        {
            SessionId = session.Id,
            Ordinal = next + 2,
            Role = "assistant",
            Content = answer,
            CitationsJson = WidgetEndpoints.SourcesJson(sources),
            CreatedAt = now,
        };
        db.ChatMessages.AddRange(asked, answered);
        await db.SaveChangesAsync(ct);
        return (asked.Id, answered.Id);
    }

    private static async Task WriteEventAsync<T>(HttpContext http, string name, T payload, CancellationToken ct)
    {
        var frame = $"event: {name}\ndata: {JsonSerializer.Serialize(payload, JsonSerializerOptions.Web)}\n\n";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
