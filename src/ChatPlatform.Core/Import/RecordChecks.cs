using System.Globalization;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>Field checks shared by the readers; each failure names the field.</summary>
internal static class RecordChecks
{
    public static string TicketId(string? value, string field = "ticket_id") =>
        string.IsNullOrWhiteSpace(value) ? throw new RecordException($"{field}: missing ticket id") : value.Trim();

    public static RawTurn Turn(TurnRole role, string? text, DateTimeOffset? time, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new RecordException($"{field}: empty text");
        return new RawTurn(role, text.Trim(), time);
    }

    public static DateTimeOffset? Time(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new RecordException($"{field}: '{value}' is not a date/time");
    }

    public static IReadOnlyList<RawTurn> NonEmpty(List<RawTurn> turns, string field) =>
        turns.Count == 0 ? throw new RecordException($"{field}: no messages") : turns;

    public static Resolution Resolution(string? value, string field) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => Domain.Resolution.Unknown,
        "resolved" or "solved" or "closed" or "true" => Domain.Resolution.Resolved,
        "unresolved" or "open" or "pending" or "new" or "hold" or "false" => Domain.Resolution.Unresolved,
        "escalated" => Domain.Resolution.Escalated,
        _ => throw new RecordException($"{field}: unknown resolution '{value}' (expected resolved, unresolved or escalated)"),
    };

    /// <summary>1..5, or good/bad (5/1) as rating systems that only ask thumbs up/down record it.</summary>
    public static int? Satisfaction(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        switch (value.Trim().ToLowerInvariant())
        {
            case "good": return 5;
            case "bad": return 1;
            case "offered" or "unoffered": return null;
        }
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5
            ? n
            : throw new RecordException($"{field}: '{value}' is not a satisfaction score (1..5, good or bad)");
    }
}
