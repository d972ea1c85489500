using System.CommandLine;
using System.Diagnostics;
using ChatPlatform.Core.Import;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// `chatplatform bench import`: writes a synthetic JSONL support log, imports it with redaction into a temporary data
/// directory and reports conversations/s, MB/s and peak resident memory, next to the peak for a 10× smaller file
/// (imported first, in a fresh directory) to show that memory does not grow with the file.
/// </summary>
internal static class ImportBench
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the figures." };
        var conversations = new Option<int>("--conversations") { Description = "Conversations in the large file.", DefaultValueFactory = _ => 100_000 };
        var command = new Command("import", "Support-log import with PII redaction: conversations/s, MB/s, peak memory against file size.")
        {
            json, conversations,
        };
        command.SetAction(pr => Run(pr.GetValue(json), pr.GetValue(conversations)));
        return command;
    }

    static int Run(bool json, int conversations)
    {
        if (conversations < 10) throw new ArgumentException("--conversations: at least 10");
        var root = Directory.CreateTempSubdirectory("chatplatform-bench-import-").FullName;
        try
        {
            var redactor = new PiiRedactor(new RedactionOptions { CustomPatterns = new() { ["ORDER"] = @"PW-ORD-\d{6}" } });
            var small = Measure(root, "small", conversations / 10, redactor, json);
            var large = Measure(root, "large", conversations, redactor, json);
            // Redaction time per conversation (measured alone on the small file) × the large import's conversations/s.
            var redactionShare = RedactionSeconds(Path.Combine(root, "small.jsonl"), redactor) / small.Summary.Imported
                                 * large.Summary.Imported / large.Seconds;
            if (!json) Console.Error.Write("\r" + new string(' ', 60) + "\r");

            new BenchReport("bench import")
                .Add("conversations", "conversations", large.Summary.Imported)
                .Add("file_mb", "file size", large.Summary.Bytes / 1e6, "MB")
                .Add("seconds", "import time", large.Seconds, "s")
                .Add("conversations_per_s", "throughput", large.Summary.Imported / large.Seconds, "conversations/s")
                .Add("mb_per_s", "throughput", large.Summary.Bytes / 1e6 / large.Seconds, "MB/s")
                .Add("cpu_ms_per_1000", "CPU time per 1,000 conversations", large.CpuSeconds * 1000 / large.Summary.Imported * 1000, "ms")
                .Add("load_average", "machine load average (1 min)", LoadAverage())
                .Add("peak_rss_mb", "peak resident memory", large.PeakBytes / 1e6, "MB")
                .Add("small_conversations", "small file conversations", small.Summary.Imported)
                .Add("small_file_mb", "small file size", small.Summary.Bytes / 1e6, "MB")
                .Add("small_peak_rss_mb", "small file peak resident memory", small.PeakBytes / 1e6, "MB")
                .Add("small_conversations_per_s", "small file throughput", small.Summary.Imported / small.Seconds, "conversations/s")
                .Add("redaction_share", "redaction share of import time", redactionShare)
                .Note("JSONL, 4-8 turns of 100-400 chars, PII in ~1/3 of customer turns; batches of 1,000 in one transaction")
                .Note("redaction runs on the reading thread, beside the writes, so its share is of one thread's time")
                .Print(json);
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>On a shared machine the wall-clock figures depend on what else runs; the load average says how much did.</summary>
    static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : double.NaN;

    sealed record Result(ImportSummary Summary, double Seconds, double CpuSeconds, long PeakBytes);

    static Result Measure(string root, string name, int conversations, PiiRedactor redactor, bool json)
    {
        var file = Path.Combine(root, name + ".jsonl");
        if (!json) Console.Error.Write($"\rwriting {conversations} conversations...          ");
        SyntheticSupportLogs.Write(file, conversations);
        var database = PlatformDatabase.Initialize(Path.Combine(root, name));
        GC.Collect();
        ProcessMemory.ResetPeak();
        if (!json) Console.Error.Write($"\rimporting {conversations} conversations...        ");
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var summary = new SupportLogImporter(database, redactor).Import(file, LogFormat.Jsonl);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Result(summary, seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, ProcessMemory.PeakResidentBytes);
    }

    /// <summary>Time spent redacting the file's turns alone (read outside the timing), to see it does not dominate.</summary>
    static double RedactionSeconds(string file, PiiRedactor redactor)
    {
        var turns = new List<(string Text, NameTerms? Names)>();
        foreach (var line in File.ReadLines(file))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var r = doc.RootElement;
            var names = redactor.NamesFor(r.GetProperty("customer_name").GetString(), r.GetProperty("agent_name").GetString());
            foreach (var m in r.GetProperty("messages").EnumerateArray()) turns.Add((m.GetProperty("text").GetString()!, names));
        }
        var clock = Stopwatch.StartNew();
        foreach (var (text, names) in turns) redactor.Redact(text, names);
        return clock.Elapsed.TotalSeconds;
    }
}
