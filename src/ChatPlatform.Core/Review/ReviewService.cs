using ChatPlatform.Core.Dedup;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Review;

/// <summary>
/// The review workflow the admin console and the CLI share: list and filter examples, approve, reject, edit, bulk
/// actions, statistics. One database context per operation; every change writes an audit entry.
/// </summary>
public sealed class ReviewService(DbContextOptions<PlatformDbContext> options)
{
    public const int MaxPageSize = 500;

    public async Task<ExamplePage> ListAsync(ExampleQuery query, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (page < 1) throw new ArgumentException($"page must be 1 or more, got {page}");
        if (pageSize is < 1 or > MaxPageSize) throw new ArgumentException($"page size must be 1-{MaxPageSize}, got {pageSize}");
        await using var db = new PlatformDbContext(options);
        var filtered = Filter(db, query);
        var total = await filtered.CountAsync(cancellationToken);
        var items = await filtered.OrderBy(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .AsNoTracking().ToListAsync(cancellationToken);
        return new ExamplePage(items, total, page, pageSize);
    }

    public async Task<SftExample> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = new PlatformDbContext(options);
        return await db.Examples.AsNoTracking().Include(e => e.Edits.OrderBy(x => x.Id)).SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
               ?? throw new ArgumentException($"no example with id {id}");
    }

    public Task<int> ApproveAsync(IReadOnlyCollection<long> ids, string reviewer, CancellationToken cancellationToken = default) =>
        SetStatusAsync(ids, ExampleStatus.Approved, reviewer, null, cancellationToken);

    public Task<int> RejectAsync(IReadOnlyCollection<long> ids, string reviewer, string? reason = null, CancellationToken cancellationToken = default) =>
        SetStatusAsync(ids, ExampleStatus.Rejected, reviewer, reason, cancellationToken);

    /// <summary>Approves every example the query matches; returns how many changed.</summary>
    public async Task<int> ApproveWhereAsync(ExampleQuery query, string reviewer, CancellationToken cancellationToken = default) =>
        await SetStatusAsync(await IdsAsync(query, cancellationToken), ExampleStatus.Approved, reviewer, null, cancellationToken, query);

    public async Task<int> RejectWhereAsync(ExampleQuery query, string reviewer, string? reason = null, CancellationToken cancellationToken = default) =>
        await SetStatusAsync(await IdsAsync(query, cancellationToken), ExampleStatus.Rejected, reviewer, reason, cancellationToken, query);

    /// <summary>
    /// Replaces an example's messages. <c>OriginalMessages</c> keeps what generation produced; the edit history
    /// records editor, time, previous and new messages. The exact-duplicate hash follows the new text.
    /// </summary>
    public async Task<SftExample> EditAsync(long id, IReadOnlyList<ExampleMessage> messages, string editor, string? note = null,
        CancellationToken cancellationToken = default)
    {
        ExampleMessages.Validate(messages);
        await using var db = new PlatformDbContext(options);
        var example = await db.Examples.SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
                      ?? throw new ArgumentException($"no example with id {id}");
        if (example.Messages.SequenceEqual(messages)) return example;
        var now = DateTimeOffset.UtcNow;
        db.ExampleEdits.Add(new SftExampleEdit
        {
            ExampleId = id, Editor = editor, EditedAt = now, Note = note,
            PreviousMessages = [.. example.Messages], NewMessages = [.. messages],
        });
        example.Messages = [.. messages];
        example.NormalizedHash = TextNormalizer.Hash(messages);
        example.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await Audit.WriteAsync(db, editor, "example.edit", $"example:{id}", new { note }, cancellationToken);
        return example;
    }

    public async Task<ReviewStatistics> StatisticsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = new PlatformDbContext(options);
        var rows = await db.Examples.AsNoTracking()
            .Select(e => new { e.Status, e.Origin, e.Flags, e.DuplicateClusterId }).ToListAsync(cancellationToken);
        var clusters = rows.Where(r => r.DuplicateClusterId is not null).GroupBy(r => r.DuplicateClusterId).ToList();
        return new ReviewStatistics(
            rows.Count,
            Enum.GetValues<ExampleStatus>().ToDictionary(s => s.ToString(), s => rows.Count(r => r.Status == s)),
            Enum.GetValues<ExampleOrigin>().ToDictionary(o => o.ToString(), o => rows.Count(r => r.Origin == o)),
            rows.SelectMany(r => r.Flags.Distinct()).GroupBy(f => f).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            clusters.Count,
            clusters.Sum(c => c.Count()),
            clusters.Count == 0 ? 0 : clusters.Max(c => c.Count()));
    }

    async Task<List<long>> IdsAsync(ExampleQuery query, CancellationToken cancellationToken)
    {
        await using var db = new PlatformDbContext(options);
        return await Filter(db, query).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(cancellationToken);
    }

    async Task<int> SetStatusAsync(IReadOnlyCollection<long> ids, ExampleStatus status, string reviewer, string? note,
        CancellationToken cancellationToken, ExampleQuery? byQuery = null)
    {
        await using var db = new PlatformDbContext(options);
        var distinct = ids.Distinct().ToList();
        var examples = await db.Examples.Where(e => distinct.Contains(e.Id)).ToListAsync(cancellationToken);
        var missing = distinct.Except(examples.Select(e => e.Id)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"no example with id {string.Join(", ", missing)}");

        var now = DateTimeOffset.UtcNow;
        var changed = new List<long>();
        foreach (var example in examples.Where(e => e.Status != status))
        {
            db.ExampleEdits.Add(new SftExampleEdit
            {
                ExampleId = example.Id, Editor = reviewer, EditedAt = now, Note = note,
                PreviousStatus = example.Status, NewStatus = status,
            });
            example.Status = status;
            example.ReviewedBy = reviewer;
            example.ReviewedAt = now;
            example.UpdatedAt = now;
            changed.Add(example.Id);
        }
        await db.SaveChangesAsync(cancellationToken);
        var verb = status == ExampleStatus.Approved ? "approve" : "reject";
        await Audit.WriteAsync(db, reviewer, byQuery is null ? $"example.{verb}" : $"example.bulk-{verb}",
            changed.Count == 1 && byQuery is null ? $"example:{changed[0]}" : null,
            new { ids = changed, query = byQuery, note }, cancellationToken);
        return changed.Count;
    }

    /// <summary>
    /// The query as SQL. Flags and messages are JSON columns, so those two criteria go through SQLite's json_each;
    /// the rest composes as LINQ on top.
    /// </summary>
    static IQueryable<SftExample> Filter(PlatformDbContext db, ExampleQuery q)
    {
        var conditions = new List<string>();
        var parameters = new List<object>();
        if (!string.IsNullOrEmpty(q.Flag))
        {
            conditions.Add($"EXISTS (SELECT 1 FROM json_each(e.\"Flags\") f WHERE f.value = {{{parameters.Count}}})");
            parameters.Add(q.Flag);
        }
        if (!string.IsNullOrEmpty(q.Text))
        {
            // instr over lower() instead of LIKE: the search text may contain % or _.
            conditions.Add($"EXISTS (SELECT 1 FROM json_each(e.\"Messages\") m WHERE instr(lower(json_extract(m.value, '$.content')), lower({{{parameters.Count}}})) > 0)");
            parameters.Add(q.Text);
        }
        // Only fixed SQL fragments are concatenated; every user value is a parameter.
        var sql = "SELECT * FROM \"Examples\" AS e WHERE " + string.Join(" AND ", conditions);
        var examples = conditions.Count == 0 ? db.Examples : db.Examples.FromSqlRaw(sql, [.. parameters]);
        if (q.Status is { } status) examples = examples.Where(e => e.Status == status);
        if (q.Origin is { } origin) examples = examples.Where(e => e.Origin == origin);
        if (q.SourceKind is { } kind) examples = examples.Where(e => e.SourceKind == kind);
        if (q.SourceId is { } sourceId) examples = examples.Where(e => e.SourceId == sourceId);
        if (q.ClusterId is { } cluster) examples = examples.Where(e => e.DuplicateClusterId == cluster);
        return examples;
    }
}
