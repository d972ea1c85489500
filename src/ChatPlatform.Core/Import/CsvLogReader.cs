using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Import;

/// <summary>
/// CSV with one message per row and a header row. Columns are found by name (<see cref="ColumnMap"/>): ticket_id,
/// role and text are required; time, subject, customer_name, agent_name, created_at, tags (separated by ';'),
/// resolution and satisfaction are optional (metadata is taken from a ticket's first row).
/// Rows of one ticket must be adjacent: a ticket is complete when the next ticket id starts, which keeps the reader
/// streaming; a ticket id that reappears later is rejected (the set of ticket ids seen is the one thing kept per ticket).
/// A bad row rejects its whole ticket (a conversation with a turn missing would teach the wrong answer), located at
/// that row's line.
/// </summary>
internal sealed class CsvLogReader(ColumnMap map, string source)
{
    static readonly string[] Required = ["ticket_id", "role", "text"];
    static readonly string[] Optional = ["time", "subject", "customer_name", "agent_name", "created_at", "tags", "resolution", "satisfaction"];

    public IEnumerable<LogRecord> Read(Stream stream)
    {
        using var text = new StreamReader(stream, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        var fields = new List<string>();
        if (!csv.TryRead(fields, out _)) yield break;
        var columns = Columns(fields);
        var width = fields.Count;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        Group? group = null;

        while (true)
        {
            bool more;
            long line;
            string? fatal = null;
            try
            {
                more = csv.TryRead(fields, out line);
            }
            catch (RecordException e)
            {
                more = false;
                line = csv.RecordStartLine;
                fatal = e.Message;
            }
            if (!more)
            {
                if (group is not null) yield return group.Finish();
                if (fatal is not null) yield return LogRecord.Rejected(line, fatal);
                yield break;
            }
            if (fields is [""]) continue; // blank line

            var ticket = fields.Count > columns["ticket_id"] ? fields[columns["ticket_id"]].Trim() : "";
            if (group is not null && ticket != group.TicketId)
            {
                yield return group.Finish();
                group = null;
            }
            if (fields.Count != width)
            {
                var reason = $"expected {width} fields, found {fields.Count}";
                if (group is not null) group.Fail(line, reason);
                else yield return LogRecord.Rejected(line, reason);
                continue;
            }
            if (ticket.Length == 0)
            {
                yield return LogRecord.Rejected(line, $"{map.Header("ticket_id")}: missing ticket id");
                continue;
            }
            if (group is null)
            {
                group = new Group(ticket, line);
                if (seen.TryGetValue(ticket, out var first))
                    group.Fail(line, $"rows are not adjacent: ticket {ticket} already appeared at line {first}");
                else
                    seen[ticket] = line;
                group.Metadata(fields, columns);
            }
            group.Add(fields, columns, line, map);
        }
    }

    Dictionary<string, int> Columns(List<string> header)
    {
        var index = new Dictionary<string, int>();
        foreach (var name in Required.Concat(Optional))
        {
            var wanted = map.Header(name);
            var at = header.FindIndex(h => string.Equals(h.Trim(), wanted, StringComparison.OrdinalIgnoreCase));
            if (at >= 0) index[name] = at;
            else if (Required.Contains(name))
                throw new InvalidDataException($"{source}: line 1: no column \"{wanted}\" for {name} (header: {string.Join(", ", header)}; map columns with --map {name}=COLUMN)");
        }
        return index;
    }

    sealed class Group(string ticketId, long line)
    {
        readonly List<RawTurn> turns = [];
        (long Line, string Reason)? failure;
        string? subject, customer, agent;
        DateTimeOffset? createdAt;
        List<string>? tags;
        Resolution resolution;
        int? satisfaction;

        public string TicketId => ticketId;

        public void Fail(long at, string reason) => failure ??= (at, reason);

        public void Metadata(List<string> fields, Dictionary<string, int> columns)
        {
            try
            {
                subject = Field(fields, columns, "subject");
                customer = Field(fields, columns, "customer_name");
                agent = Field(fields, columns, "agent_name");
                createdAt = RecordChecks.Time(Field(fields, columns, "created_at"), "created_at");
                tags = Field(fields, columns, "tags")?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                resolution = RecordChecks.Resolution(Field(fields, columns, "resolution"), "resolution");
                satisfaction = RecordChecks.Satisfaction(Field(fields, columns, "satisfaction"), "satisfaction");
            }
            catch (RecordException e)
            {
                Fail(line, e.Message);
            }
        }

        public void Add(List<string> fields, Dictionary<string, int> columns, long at, ColumnMap map)
        {
            if (failure is not null) return;
            try
            {
                var role = RoleNames.Parse(fields[columns["role"]], map.Header("role"));
                var time = RecordChecks.Time(Field(fields, columns, "time"), map.Header("time"));
                turns.Add(RecordChecks.Turn(role, fields[columns["text"]], time, map.Header("text")));
            }
            catch (RecordException e)
            {
                Fail(at, e.Message);
            }
        }

        public LogRecord Finish() => failure is { } f
            ? LogRecord.Rejected(f.Line, $"ticket {ticketId}: {f.Reason}")
            : LogRecord.Ok(new RawConversation(line, ticketId, turns, subject, createdAt, tags, resolution, satisfaction, customer, agent));

        static string? Field(List<string> fields, Dictionary<string, int> columns, string name) =>
            columns.TryGetValue(name, out var i) && fields[i].Trim() is { Length: > 0 } v ? v : null;
    }
}
