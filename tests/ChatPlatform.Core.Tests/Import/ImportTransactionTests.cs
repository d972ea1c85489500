using System.Text;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class ImportTransactionTests
{
    static string Conversations(int count, int from = 0) => string.Join('\n', Enumerable.Range(from, count).Select(i =>
        $$"""{"ticket_id":"T-{{i}}","messages":[{"role":"customer","text":"Question {{i}}"},{"role":"agent","text":"Answer {{i}}"}]}"""));

    [Fact]
    public void Importing_the_same_file_twice_adds_nothing()
    {
        using var h = new ImportHarness();
        var path = h.Write("logs.jsonl", Conversations(25));
        var small = new ImportOptions { BatchSize = 10 };
        var first = h.Importer.Import(path, LogFormat.Jsonl, small, cancellationToken: TestContext.Current.CancellationToken);
        var second = h.Importer.Import(path, LogFormat.Jsonl, small, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((25, 0), (first.Imported, first.Duplicates));
        Assert.Equal((0, 25), (second.Imported, second.Duplicates));
        Assert.Equal(25, h.Conversations().Count);

        // An overlapping export: 10 known tickets, 5 new ones, and a changed version of T-0 (same id, other content).
        var overlap = Conversations(15, from: 15) + "\n" + """{"ticket_id":"T-0","messages":[{"role":"customer","text":"Question 0, edited"}]}""";
        var third = h.Import("more.jsonl", overlap, LogFormat.Jsonl, small);
        Assert.Equal((6, 10), (third.Imported, third.Duplicates));
    }

    [Fact]
    public void The_same_conversation_twice_in_one_file_is_one_conversation_even_across_batches()
    {
        using var h = new ImportHarness();
        var summary = h.Import("dup.jsonl", Conversations(3) + "\n" + Conversations(3), LogFormat.Jsonl, new ImportOptions { BatchSize = 2 });
        Assert.Equal((3, 3), (summary.Imported, summary.Duplicates));
    }

    [Fact]
    public void Cancelling_midway_leaves_no_conversation_and_records_a_cancelled_run()
    {
        using var h = new ImportHarness();
        using var cts = new CancellationTokenSource();
        var reports = 0;
        // Progress is reported after each saved batch: cancel once two batches (4 conversations) are written.
        var progress = new SynchronousProgress(p => { if (++reports == 2) cts.Cancel(); });
        var path = h.Write("logs.jsonl", Conversations(20));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            h.Importer.Import(path, LogFormat.Jsonl, new ImportOptions { BatchSize = 2 }, progress, cts.Token));

        Assert.Equal(2, reports);
        Assert.Empty(h.Conversations());
        var run = Assert.Single(h.Runs());
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(0, run.Imported);

        // A retry then imports everything.
        Assert.Equal(20, h.Importer.Import(path, LogFormat.Jsonl, cancellationToken: TestContext.Current.CancellationToken).Imported);
    }

    [Fact]
    public void A_read_failure_midway_rolls_back_everything_written_so_far()
    {
        using var h = new ImportHarness();
        var bytes = Encoding.UTF8.GetBytes(Conversations(50));
        using var failing = new FailingStream(bytes, failAfter: bytes.Length / 2);
        var e = Assert.Throws<IOException>(() =>
            h.Importer.Import(failing, "disk.jsonl", LogFormat.Jsonl, new ImportOptions { BatchSize = 5 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("disk read failed", e.Message);
        Assert.True(failing.Served > 0);
        Assert.Empty(h.Conversations());
        var run = Assert.Single(h.Runs());
        Assert.Equal((RunStatus.Failed, "disk read failed"), (run.Status, run.Error));
        Assert.Empty(run.Rejections);
    }

    [Fact]
    public void Progress_reports_counts_and_bytes()
    {
        using var h = new ImportHarness();
        var reports = new List<ImportProgress>();
        var path = h.Write("logs.jsonl", Conversations(7) + "\nnot json");
        h.Importer.Import(path, LogFormat.Jsonl, new ImportOptions { BatchSize = 3 }, new SynchronousProgress(reports.Add), TestContext.Current.CancellationToken);
        var last = reports[^1];
        Assert.Equal((8L, 7, 1), (last.Records, last.Imported, last.Rejected));
        Assert.Equal(new FileInfo(path).Length, last.TotalBytes);
        Assert.Equal(last.TotalBytes, last.BytesRead);
        Assert.True(reports.Count >= 3);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    /// <summary>Serves the bytes in small reads, then fails like a disk or network error.</summary>
    sealed class FailingStream(byte[] data, int failAfter) : Stream
    {
        public int Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (Served >= failAfter) throw new IOException("disk read failed");
            var n = Math.Min(Math.Min(buffer.Length, 512), data.Length - Served);
            data.AsSpan(Served, n).CopyTo(buffer);
            Served += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
