using System.Security.Cryptography;
using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// The customer chat widget's API under /api/widget (every route takes <c>?key=SITE_KEY</c>, see <see cref="WidgetSiteFilter"/>):
/// GET config, POST sessions, GET and POST sessions/{id}/messages (the answer streams as server-sent events, see
/// <see cref="WidgetAnswerStream"/>), POST messages/{id}/feedback. POSTs are rate limited per key and per IP.
/// </summary>
internal static class WidgetEndpoints
{
    public const string Prefix = "/api/widget";

    public static WebApplication MapWidgetApi(this WebApplication app)
    {
        app.MapGet(WidgetScript.Path, WidgetScript.Get);
        var api = app.MapGroup(Prefix).AddEndpointFilter(Filter<WidgetSiteFilter>);
        api.MapMethods("/{**path}", [HttpMethods.Options], () => Results.NoContent());  // the site filter answers preflights
        api.MapGet("/config", Config);
        api.MapPost("/sessions", CreateSession).AddEndpointFilter(Filter<WidgetRateLimits>);
        api.MapGet("/sessions/{sessionId}/messages", History);
        api.MapPost("/sessions/{sessionId}/messages", Ask).AddEndpointFilter(Filter<WidgetRateLimits>);
        api.MapPost("/messages/{messageId:long}/feedback", Feedback).AddEndpointFilter(Filter<WidgetRateLimits>);
        return app;
    }

    // The filters are singletons (the rate limiter's windows must outlive a request).
    private static ValueTask<object?> Filter<T>(EndpointFilterInvocationContext context, EndpointFilterDelegate next) where T : IEndpointFilter =>
        context.HttpContext.RequestServices.GetRequiredService<T>().InvokeAsync(context, next);

    private static WidgetConfig Config(HttpContext http, IOptions<WidgetOptions> options)
    {
        var site = WidgetSiteFilter.SiteOf(http);
        return new WidgetConfig(site.Title, site.Greeting, site.BrandColor, options.Value.MaxMessageChars, options.Value.MaxCorrectionChars);
    }

    private static async Task<IResult> CreateSession(HttpContext http, IDbContextFactory<PlatformDbContext> contexts, CancellationToken ct)
    {
        var session = new ChatSession
        {
            PublicId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_'),
            SiteKey = WidgetSiteFilter.SiteOf(http).Key,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ChatSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return Results.Json(new WidgetSessionCreated(session.PublicId), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> History(string sessionId, HttpContext http, IDbContextFactory<PlatformDbContext> contexts, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await FindSessionAsync(db, http, sessionId, ct);
        if (session is null) return NoSession();
        return Results.Json(new WidgetHistory(session.PublicId, [.. session.Messages.OrderBy(m => m.Ordinal).Select(WidgetMessage.Of)]));
    }

    private static async Task<IResult> Ask(string sessionId, WidgetQuestion question, HttpContext http, WidgetAssistant assistant,
        IDbContextFactory<PlatformDbContext> contexts, IOptions<WidgetOptions> options, CancellationToken ct)
    {
        var settings = options.Value;
        var content = question.Content?.Trim() ?? "";
        if (content.Length == 0) return WidgetError.Of(StatusCodes.Status400BadRequest, "The message is empty: write a question first.");
        if (content.Length > settings.MaxMessageChars)
            return WidgetError.Of(StatusCodes.Status413PayloadTooLarge,
                $"The message is {content.Length} characters long; the limit is {settings.MaxMessageChars}. Please shorten it.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = await FindSessionAsync(db, http, sessionId, ct);
        if (session is null) return NoSession();
        if (session.Messages.Count + 2 > settings.MaxSessionMessages)
            return WidgetError.Of(StatusCodes.Status400BadRequest,
                $"This conversation has reached its limit of {settings.MaxSessionMessages} messages. Start a new conversation to continue.");
        return new WidgetAnswerStream(assistant, session, content, contexts);
    }

    private static async Task<IResult> Feedback(long messageId, WidgetFeedback feedback, HttpContext http,
        IDbContextFactory<PlatformDbContext> contexts, IOptions<WidgetOptions> options, CancellationToken ct)
    {
        var rating = feedback.Rating switch
        {
            "up" => Core.Domain.Feedback.Up,
            "down" => Core.Domain.Feedback.Down,
            _ => (Feedback?)null,
        };
        if (rating is null) return WidgetError.Of(StatusCodes.Status400BadRequest, "rating: must be \"up\" or \"down\".");
        var correction = string.IsNullOrWhiteSpace(feedback.Correction) ? null : feedback.Correction.Trim();
        if (correction is not null && rating != Core.Domain.Feedback.Down)
            return WidgetError.Of(StatusCodes.Status400BadRequest, "correction: only a \"down\" rating can carry a correction.");
        if (correction?.Length > options.Value.MaxCorrectionChars)
            return WidgetError.Of(StatusCodes.Status413PayloadTooLarge,
                $"The correction is {correction.Length} characters long; the limit is {options.Value.MaxCorrectionChars}. Please shorten it.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var session = feedback.SessionId is null ? null : await FindSessionAsync(db, http, feedback.SessionId, ct);
        var answer = session?.Messages.FirstOrDefault(m => m.Id == messageId && m.Role == "assistant");
        if (session is null || answer is null)
            return WidgetError.Of(StatusCodes.Status404NotFound, "There is no such answer in this conversation.");
        var question = session.Messages.Where(m => m.Ordinal < answer.Ordinal && m.Role == "user").MaxBy(m => m.Ordinal);
        answer.Feedback = rating.Value;
        // a later vote without a correction keeps the one already given
        if (rating == Core.Domain.Feedback.Up) answer.Correction = null;
        else if (correction is not null) answer.Correction = correction;
        answer.FeedbackAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        if (question is not null) await FeedbackExamples.ApplyAsync(db, question, answer, ct);
        return Results.Json(WidgetMessage.Of(answer));
    }

    private static IResult NoSession() =>
        WidgetError.Of(StatusCodes.Status404NotFound, "This conversation does not exist (or belongs to another site). Start a new one.");

    /// <summary>The session with its messages, when it exists and belongs to the request's site.</summary>
    private static async Task<ChatSession?> FindSessionAsync(PlatformDbContext db, HttpContext http, string publicId, CancellationToken ct)
    {
        var key = WidgetSiteFilter.SiteOf(http).Key;
        return await db.ChatSessions.Include(s => s.Messages).FirstOrDefaultAsync(s => s.PublicId == publicId && s.SiteKey == key, ct);
    }

    internal static string SourcesJson(IReadOnlyList<WidgetSource> sources) => JsonSerializer.Serialize(sources, JsonSerializerOptions.Web);
}
