using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Web.Widget;

/// <summary>What the widget needs to draw itself for a site.</summary>
public sealed record WidgetConfig(string Title, string Greeting, string BrandColor, int MaxMessageChars, int MaxCorrectionChars);

public sealed record WidgetSessionCreated(string SessionId);

public sealed record WidgetQuestion(string? Content);

/// <summary>Feedback on one answer: rating "up" or "down"; a correction (what the answer should have been) only with "down".</summary>
public sealed record WidgetFeedback(string? SessionId, string? Rating, string? Correction);

/// <summary>
/// A cited source as the customer sees it: the document's title and section, a link when the document came from a
/// web address, else only its file name (server paths stay private), and the passage's opening.
/// </summary>
public sealed record WidgetSource(int Number, string Title, string? Section, string? Link, string Path, string Snippet)
{
    public static WidgetSource Of(Citation c)
    {
        var link = Uri.TryCreate(c.Path, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? c.Path : null;
        // a Markdown H1 usually repeats the title: "Warranty terms > Coverage" is shown as section "Coverage"
        string? section = c.HeadingPath.StartsWith(c.Title + " > ", StringComparison.Ordinal) ? c.HeadingPath[(c.Title.Length + 3)..] : c.HeadingPath;
        if (section.Length == 0 || section == c.Title) section = null;
        return new WidgetSource(c.Number, c.Title, section, link, link ?? System.IO.Path.GetFileName(c.Path), c.Snippet);
    }
}

public sealed record WidgetMessage(long Id, string Role, string Content, IReadOnlyList<WidgetSource> Sources, string? Feedback, string? Correction)
{
    public static WidgetMessage Of(ChatMessageRecord m) => new(m.Id, m.Role, m.Content,
        m.CitationsJson is null ? [] : JsonSerializer.Deserialize<List<WidgetSource>>(m.CitationsJson, JsonSerializerOptions.Web) ?? [],
        m.Feedback switch { Core.Domain.Feedback.Up => "up", Core.Domain.Feedback.Down => "down", _ => null }, m.Correction);
}

public sealed record WidgetHistory(string SessionId, IReadOnlyList<WidgetMessage> Messages);

/// <summary>The stream's last event: the stored ids of the question and the answer (for feedback) and the answer's sources.</summary>
public sealed record WidgetAnswerDone(long QuestionId, long MessageId, IReadOnlyList<WidgetSource> Sources);
