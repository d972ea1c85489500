namespace ChatPlatform.Core.Import;

/// <summary>
/// Field name → the name the file uses: CSV column headers (<c>ticket_id=Ticket,time=Created,role=Author,text=Body</c>)
/// and transcript speaker labels (<c>customer=Kunde|Client,agent=Support</c>, alternatives separated by '|').
/// Unmapped fields keep their own name.
/// </summary>
public sealed class ColumnMap
{
    static readonly HashSet<string> Fields =
    [
        "ticket_id", "time", "role", "text", "subject", "customer_name", "agent_name", "created_at", "tags", "resolution",
        "satisfaction", "customer", "agent", "system",
    ];

    readonly Dictionary<string, string> names;

    public ColumnMap(IReadOnlyDictionary<string, string>? names = null)
    {
        this.names = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, name) in names ?? new Dictionary<string, string>())
        {
            if (!Fields.Contains(field)) throw new ArgumentException($"--map: unknown field '{field}' (known: {string.Join(", ", Fields)})");
            if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"--map: no column name for '{field}'");
            this.names[field] = name.Trim();
        }
    }

    public static ColumnMap Empty { get; } = new();

    /// <summary>Parses <c>field=Name,field=Name</c>.</summary>
    public static ColumnMap Parse(string? spec)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var pair in (spec ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--map: '{pair}' is not field=Name");
            pairs[pair[..eq].Trim()] = pair[(eq + 1)..];
        }
        return new ColumnMap(pairs);
    }

    public string Header(string field) => names.TryGetValue(field, out var name) ? name : field;

    /// <summary>The labels for a transcript speaker: the mapped ones, or the defaults.</summary>
    public IReadOnlyList<string> Labels(string speaker, params string[] defaults) =>
        names.TryGetValue(speaker, out var spec) ? spec.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : defaults;
}
