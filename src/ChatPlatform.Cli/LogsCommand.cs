using System.CommandLine;
using System.Globalization;
using ChatPlatform.Core.Import;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform logs import FILE` and `chatplatform logs list`: support-log import and its history.</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var logs = new Command("logs", "Import support logs (redacting PII) and list past imports.");
        logs.Subcommands.Add(Import());
        logs.Subcommands.Add(List());
        return logs;
    }

    static Command Import()
    {
        var file = new Argument<string>("FILE") { Description = "The support-log file." };
        var format = new Option<string?>("--format") { Description = "jsonl, json, csv, zendesk or transcript (default: detected from the content and extension)." };
        var map = new Option<string?>("--map") { Description = "CSV columns (ticket_id=Ticket,time=Created,role=Author,text=Body) or transcript labels (customer=Kunde|Client,agent=Support)." };
        var noRedact = new Option<bool>("--no-redact") { Description = "Store the text as it is (only for data that is already anonymised)." };
        var settings = new Option<string?>("--settings") { Description = "A JSON settings file whose \"Redaction\" section configures the detectors." };
        var dataDir = DataDirectoryOption.Create();
        var command = new Command("import", "Import a support-log file; a malformed record is listed and skipped, the rest is kept.")
        {
            file, format, map, noRedact, settings, dataDir,
        };
        command.SetAction((pr, ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
            var logFormat = pr.GetValue(format) is { } f ? LogFormats.Parse(f) : LogFormats.Detect(path);
            var options = new ImportOptions { Map = ColumnMap.Parse(pr.GetValue(map)), Redact = !pr.GetValue(noRedact) };
            var redactor = new PiiRedactor(RedactionSettings.Load(pr.GetValue(settings)));
            var database = PlatformDatabase.Initialize(pr.GetValue(dataDir)!);
            var progress = new ConsoleImportProgress();
            ImportSummary summary;
            try
            {
                summary = new SupportLogImporter(database, redactor).Import(path, logFormat, options, progress, ct);
            }
            catch (OperationCanceledException)
            {
                progress.Clear();
                Console.Error.WriteLine("cancelled: nothing of this import was stored");
                return Task.FromResult(130);
            }
            finally
            {
                progress.Clear();
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.FileName} ({LogFormats.Name(summary.Format)}{(options.Redact ? ", redacted" : ", NOT redacted")}): {summary.Imported} imported, {summary.Duplicates} duplicates, {summary.Rejected} rejected in {summary.Elapsed.TotalSeconds:F1} s (import #{summary.ImportRunId})"));
            foreach (var r in summary.FirstRejections)
                Console.WriteLine($"  rejected {summary.FileName}:{r.Location}: {r.Reason}");
            if (summary.Rejected > summary.FirstRejections.Count)
                Console.WriteLine($"  ... and {summary.Rejected - summary.FirstRejections.Count} more (all are stored with import #{summary.ImportRunId})");
            return Task.FromResult(0);
        });
        return command;
    }

    static Command List()
    {
        var dataDir = DataDirectoryOption.Create();
        var command = new Command("list", "The import history, newest first.") { dataDir };
        command.SetAction(pr =>
        {
            using var db = new PlatformDbContext(PlatformDatabase.Initialize(pr.GetValue(dataDir)!));
            var runs = db.ImportRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).ToList();
            if (runs.Count == 0)
            {
                Console.WriteLine("no imports yet");
                return 0;
            }
            Console.WriteLine($"{"id",4}  {"started (UTC)",-19}  {"status",-9}  {"format",-10}  {"imported",8}  {"dupes",6}  {"rejected",8}  file");
            foreach (var r in runs)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Id,4}  {r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {r.Status,-9}  {r.Format,-10}  {r.Imported,8}  {r.Duplicates,6}  {r.Rejected,8}  {r.FileName}{(r.Error is null ? "" : $"  ({r.Error})")}"));
            }
            return 0;
        });
        return command;
    }
}
