using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Tests.Examples;

/// <summary>Support conversations written directly, as the importer would store them.</summary>
internal static class Conversations
{
    static int next;

    public static SupportConversation Of(params (TurnRole Role, string Text)[] turns) => new()
    {
        TicketId = $"T-{Interlocked.Increment(ref next)}",
        ContentHash = Guid.NewGuid().ToString("N"),
        Resolution = Resolution.Resolved,
        Turns = [.. turns.Select((t, i) => new ConversationTurn { Ordinal = i, Role = t.Role, Text = t.Text })],
    };

    public static (TurnRole, string) C(string text) => (TurnRole.Customer, text);
    public static (TurnRole, string) A(string text) => (TurnRole.Agent, text);
    public static (TurnRole, string) Note(string text) => (TurnRole.InternalNote, text);
}
