using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>The role names support tools use, mapped to <see cref="TurnRole"/>; anything else is rejected, not guessed.</summary>
public static class RoleNames
{
    static readonly Dictionary<string, TurnRole> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["customer"] = TurnRole.Customer, ["user"] = TurnRole.Customer, ["end-user"] = TurnRole.Customer,
        ["end_user"] = TurnRole.Customer, ["enduser"] = TurnRole.Customer, ["client"] = TurnRole.Customer,
        ["agent"] = TurnRole.Agent, ["assistant"] = TurnRole.Agent, ["support"] = TurnRole.Agent, ["staff"] = TurnRole.Agent,
        ["system"] = TurnRole.System,
        ["internal_note"] = TurnRole.InternalNote, ["internal-note"] = TurnRole.InternalNote, ["note"] = TurnRole.InternalNote,
    };

    public static TurnRole Parse(string? name, string field) =>
        name is not null && Known.TryGetValue(name.Trim(), out var role)
            ? role
            : throw new RecordException($"{field}: unknown role '{name}' (expected customer, user, end-user, client, agent, assistant, support, staff, system or note)");
}
