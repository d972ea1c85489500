using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Import;

/// <summary>
/// Imports a support-log file into the database, streaming: records are parsed one at a time, redacted, and written in
/// batches inside ONE transaction that also writes the ImportRun row as Completed, so a crash or cancellation leaves
/// nothing of the import visible. Rows are written with prepared INSERTs (<see cref="PreparedInsert{T}"/>) rather than
/// tracked entities, so nothing accumulates per row: the uncommitted pages spill to SQLite's WAL file, not to memory,
/// and memory stays flat in the file's size. A failed or cancelled import is then recorded for the
/// history in its own small transaction (Status Failed/Cancelled, no conversations).
/// Idempotent: a conversation whose (TicketId, ContentHash) is already stored — or earlier in the same file — is counted
/// as a duplicate and skipped; duplicates are looked up once per batch.
/// Two threads: one reads, hashes and redacts records, the caller's thread writes them; a bounded queue between them
/// (two batches) keeps memory flat. Duplicates are redacted too before being dropped, which only costs on re-imports.
/// </summary>
public sealed class SupportLogImporter(DbContextOptions<PlatformDbContext> database, PiiRedactor redactor)
{
    readonly DbContextOptions<PlatformDbContext> database = database;
    readonly PiiRedactor redactor = redactor;

    public ImportSummary Import(string path, LogFormat format, ImportOptions? options = null,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Import(stream, Path.GetFileName(path), format, options, progress, cancellationToken);
    }

    /// <summary>Imports from a stream (disposed at the end); <paramref name="fileName"/> names it in messages and history.</summary>
    public ImportSummary Import(Stream stream, string fileName, LogFormat format, ImportOptions? options = null,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImportOptions();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var total = stream.CanSeek ? stream.Length : 0;
        var head = Head(stream);
        using var counting = new ReadCountingStream(stream);
        try
        {
            var run = new Run(this, fileName, format, options, counting, total, progress, cancellationToken);
            var summary = run.Execute(started, head);
            return summary with { Elapsed = clock.Elapsed };
        }
        catch (Exception e)
        {
            // The import's transaction is rolled back by now; keep a trace of the attempt for the history.
            var status = e is OperationCanceledException ? RunStatus.Cancelled : RunStatus.Failed;
            RecordFailure(fileName, format, started, status, status == RunStatus.Cancelled ? "cancelled; nothing was imported" : e.Message);
            throw;
        }
    }

    static byte[] Head(Stream stream)
    {
        if (!stream.CanSeek) return [];
        var head = new byte[64 * 1024];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        return head[..read];
    }

    void RecordFailure(string fileName, LogFormat format, DateTimeOffset started, RunStatus status, string error)
    {
        using var db = new PlatformDbContext(database);
        db.ImportRuns.Add(new ImportRun
        {
            FileName = fileName, Format = LogFormats.Name(format), StartedAt = started, FinishedAt = DateTimeOffset.UtcNow,
            Status = status, Error = error,
        });
        db.SaveChanges();
    }

    /// <summary>One import's state while it runs.</summary>
    sealed class Run(SupportLogImporter owner, string fileName, LogFormat format, ImportOptions options, ReadCountingStream stream,
        long totalBytes, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        readonly List<SupportConversation> pending = [];
        readonly List<ImportRejectionInfo> firstRejections = [];
        long records;
        int imported, duplicates, rejected;

        /// <summary>What the reading thread hands to the writing thread: a redacted conversation or a rejection.</summary>
        readonly record struct Prepared(long Location, SupportConversation? Conversation, string? Error);

        public ImportSummary Execute(DateTimeOffset started, byte[] head)
        {
            using var db = new PlatformDbContext(owner.database);
            db.Database.OpenConnection();
            // A 16 MB page cache (default 2 MB) for this connection: fewer spills of the open transaction's pages to the
            // WAL and re-reads of index pages; still a constant, not a function of the file size.
            db.Database.ExecuteSqlRaw("PRAGMA cache_size=-16384;");
            using var transaction = db.Database.BeginTransaction();
            var run = new ImportRun { FileName = fileName, Format = LogFormats.Name(format), StartedAt = started, Status = RunStatus.Running };
            db.ImportRuns.Add(run);
            db.SaveChanges();
            using var conversations = new PreparedInsert<SupportConversation>(db);
            using var turns = new PreparedInsert<ConversationTurn>(db, returnKey: false);
            using var rejections = new PreparedInsert<ImportRejection>(db, returnKey: false);
            var writers = (conversations, turns);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var queue = new BlockingCollection<Prepared>(Math.Max(2, options.BatchSize * 2));
            var reader = Task.Factory.StartNew(() => Produce(queue, head, run.Id, stop.Token), stop.Token,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                foreach (var item in queue.GetConsumingEnumerable(cancellationToken))
                {
                    records++;
                    if (item.Conversation is { } conversation)
                    {
                        pending.Add(conversation);
                    }
                    else
                    {
                        rejected++;
                        rejections.Insert(new ImportRejection { ImportRunId = run.Id, Location = item.Location, Reason = item.Error! });
                        if (firstRejections.Count < options.SummaryRejections) firstRejections.Add(new(item.Location, item.Error!));
                    }
                    if (pending.Count >= options.BatchSize) Flush(writers, db);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            finally
            {
                // On any failure here, stop the reader and wait for it, so that it never outlives the import.
                stop.Cancel();
                try
                {
                    reader.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // Its cancellation is ours; its own failure is rethrown below.
                }
            }
            // A read failure ends the queue early: rethrow it before anything is committed.
            if (reader.IsFaulted) ExceptionDispatchInfo.Capture(reader.Exception!.InnerException!).Throw();
            cancellationToken.ThrowIfCancellationRequested();
            Flush(writers, db);

            run.FileHash = stream.FinishHash();
            run.Status = RunStatus.Completed;
            run.FinishedAt = DateTimeOffset.UtcNow;
            run.Imported = imported;
            run.Duplicates = duplicates;
            run.Rejected = rejected;
            db.ImportRuns.Update(run);
            db.SaveChanges();
            transaction.Commit();
            return new ImportSummary(run.Id, fileName, format, imported, duplicates, rejected, firstRejections, stream.BytesRead, TimeSpan.Zero);
        }

        void Produce(BlockingCollection<Prepared> queue, byte[] head, long runId, CancellationToken stop)
        {
            try
            {
                foreach (var record in LogReaders.Read(stream, format, options.Map, fileName, head))
                {
                    stop.ThrowIfCancellationRequested();
                    queue.Add(record.Conversation is { } c
                        ? new Prepared(record.Location, ToEntity(c, ConversationHash.Compute(c), runId), null)
                        : new Prepared(record.Location, null, record.Error), stop);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        }

        void Flush((PreparedInsert<SupportConversation> Conversations, PreparedInsert<ConversationTurn> Turns) writers, PlatformDbContext db)
        {
            if (pending.Count > 0)
            {
                var tickets = pending.Select(p => p.TicketId).Distinct().ToList();
                var existing = db.Conversations.AsNoTracking().Where(c => tickets.Contains(c.TicketId))
                    .Select(c => new { c.TicketId, c.ContentHash }).AsEnumerable()
                    .Select(c => (c.TicketId, c.ContentHash)).ToHashSet();
                foreach (var conversation in pending)
                {
                    if (!existing.Add((conversation.TicketId, conversation.ContentHash)))
                    {
                        duplicates++;
                        continue;
                    }
                    var id = writers.Conversations.Insert(conversation);
                    foreach (var turn in conversation.Turns)
                    {
                        turn.ConversationId = id;
                        writers.Turns.Insert(turn);
                    }
                    imported++;
                }
                pending.Clear();
            }
            progress?.Report(new ImportProgress(records, imported, duplicates, rejected, stream.BytesRead, totalBytes));
        }

        SupportConversation ToEntity(RawConversation c, string hash, long runId)
        {
            var redactor = owner.redactor;
            var redact = options.Redact && redactor.Options.Enabled;
            var names = redact ? redactor.NamesFor(c.CustomerName, c.AgentName) : null;
            // With name redaction on, the names themselves are PII and are not stored either.
            var keepNames = !redact || !redactor.Options.Names;
            var turns = new List<ConversationTurn>(c.Turns.Count);
            for (var i = 0; i < c.Turns.Count; i++)
            {
                var t = c.Turns[i];
                turns.Add(new ConversationTurn { Ordinal = i, Role = t.Role, Time = t.Time, Text = redact ? redactor.Redact(t.Text, names) : t.Text });
            }
            return new SupportConversation
            {
                TicketId = c.TicketId,
                ContentHash = hash,
                ImportRunId = runId,
                Subject = redact && c.Subject is not null ? redactor.Redact(c.Subject, names) : c.Subject,
                CustomerName = keepNames ? c.CustomerName : null,
                AgentName = keepNames ? c.AgentName : null,
                Tags = c.Tags?.ToList() ?? [],
                Resolution = c.Resolution,
                Satisfaction = c.Satisfaction,
                CreatedAt = c.CreatedAt,
                Language = LanguageDetector.Detect(c.Turns.Where(t => t.Role == TurnRole.Customer).Select(t => t.Text)),
                Turns = turns,
            };
        }
    }
}
