namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// A chat template could not be parsed or rendered: a syntax error, a construct this interpreter does not
/// support, a sandbox limit, or the template's own <c>raise_exception('...')</c>.
/// </summary>
/// <remarks>
/// Errors the template raised itself keep the template's message verbatim (callers show it to users, e.g.
/// "Conversation roles must alternate user/assistant/user/assistant/..."); every other error names the line
/// so a template author can find the construct.
/// </remarks>
public sealed class ChatTemplateException : Exception
{
    public ChatTemplateException(string reason, int? line = null, int? column = null, bool raisedByTemplate = false, Exception? inner = null)
        : base(Format(reason, line, column, raisedByTemplate), inner)
    {
        Reason = reason;
        Line = line;
        Column = column;
        RaisedByTemplate = raisedByTemplate;
    }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; }

    /// <summary>1-based line in the template source, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column in the template source (syntax errors only).</summary>
    public int? Column { get; }

    /// <summary>True when the template called <c>raise_exception</c>; <see cref="Exception.Message"/> is then its text.</summary>
    public bool RaisedByTemplate { get; }

    private static string Format(string reason, int? line, int? column, bool raisedByTemplate) =>
        raisedByTemplate || line is null ? reason
        : column is null ? $"chat template line {line}: {reason}"
        : $"chat template line {line}, column {column}: {reason}";
}

/// <summary>
/// Thrown below the interpreter (filters, methods, value operations) where the source line is not at hand; the
/// interpreter turns it into a <see cref="ChatTemplateException"/> carrying the line of the node being evaluated.
/// </summary>
internal sealed class JinjaError(string message) : Exception(message);
