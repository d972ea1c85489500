using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>
/// One support conversation as a reader parsed it, before redaction: the raw text, checked (ticket id, roles,
/// non-empty turns) but not yet stored. <see cref="Location"/> is where it started in the file.
/// </summary>
public sealed record RawConversation(
    long Location,
    string TicketId,
    IReadOnlyList<RawTurn> Turns,
    string? Subject = null,
    DateTimeOffset? CreatedAt = null,
    IReadOnlyList<string>? Tags = null,
    Resolution Resolution = Resolution.Unknown,
    int? Satisfaction = null,
    string? CustomerName = null,
    string? AgentName = null);

public sealed record RawTurn(TurnRole Role, string Text, DateTimeOffset? Time);

/// <summary>What a reader yields per record: a conversation, or the reason the record at <paramref name="Location"/> was rejected.</summary>
public readonly record struct LogRecord(long Location, RawConversation? Conversation, string? Error)
{
    public static LogRecord Ok(RawConversation conversation) => new(conversation.Location, conversation, null);

    public static LogRecord Rejected(long location, string reason) => new(location, null, reason);
}

/// <summary>A record that cannot be used; the reader turns it into a rejection and carries on with the next one.</summary>
public sealed class RecordException(string message) : Exception(message);
