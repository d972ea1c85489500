using System.CommandLine;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Core.Teacher;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform examples generate|list|approve|reject`: SFT examples from support logs and their review.</summary>
internal static class ExamplesCommand
{
    public const string TeacherKeyVariable = "CHATPLATFORM_TEACHER_KEY";

    public static Command Create()
    {
        var command = new Command("examples", "Generate SFT examples and review them.");
        command.Subcommands.Add(Generate());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetStatus("approve", "Approve examples by id.", ExampleStatus.Approved));
        command.Subcommands.Add(SetStatus("reject", "Reject examples by id.", ExampleStatus.Rejected));
        return command;
    }

    static Command Generate()
    {
        var dataDir = DataDirectoryOption.Create();
        var from = new Option<string>("--from") { Description = "conversations (imported support logs) or documents.", DefaultValueFactory = _ => "conversations" };
        from.AcceptOnlyFromAmong("conversations", "documents");
        var resolvedOnly = new Option<bool>("--resolved-only") { Description = "Skip tickets that were not resolved." };
        var minSatisfaction = new Option<int?>("--min-satisfaction") { Description = "Skip tickets rated below N (1-5); unrated tickets pass." };
        var language = new Option<string[]>("--language") { Description = "Keep only these languages (ISO 639-1), e.g. --language en --language de.", AllowMultipleArgumentsPerToken = true };
        var system = new Option<string?>("--system-prompt") { Description = "A system message prepended to every example." };
        var docs = new Option<string?>("--docs") { Description = "With --from documents: a folder of documents (Markdown, text, HTML, PDF, DOCX, FAQ), sectioned as the knowledge base chunks them." };
        var teacherUrl = new Option<string?>("--teacher-url") { Description = "OpenAI-compatible base URL, e.g. http://localhost:11434/v1." };
        var teacherModel = new Option<string?>("--teacher-model") { Description = $"Teacher model name; the key is read from {TeacherKeyVariable}." };
        var command = new Command("generate", "Generate pending SFT examples and print what was created, skipped, flagged and deduplicated.")
        {
            dataDir, from, resolvedOnly, minSatisfaction, language, system, docs, teacherUrl, teacherModel,
        };
        command.SetAction(async (pr, ct) =>
        {
            var options = PlatformDatabase.Initialize(pr.GetValue(dataDir)!);
            await using var db = new PlatformDbContext(options);
            GenerationSummary summary;
            if (pr.GetValue(from) == "conversations")
            {
                var languages = pr.GetValue(language) is { Length: > 0 } l ? l.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
                summary = await ConversationExampleGenerator.GenerateAsync(db,
                    new ConversationExampleOptions(pr.GetValue(resolvedOnly), pr.GetValue(minSatisfaction), languages, SystemPrompt: pr.GetValue(system)),
                    Environment.UserName, cancellationToken: ct);
            }
            else
            {
                var folder = pr.GetValue(docs) ?? throw new ArgumentException("--from documents needs --docs FOLDER");
                var teacher = Teacher(pr.GetValue(teacherUrl), pr.GetValue(teacherModel));
                var sections = await DocumentSections.ReadAsync(folder, Rag.Chunking.ApproximateTokenCounter.Instance, ct);
                summary = await DocumentExampleGenerator.GenerateAsync(db, sections, teacher, pr.GetValue(system),
                    Environment.UserName, cancellationToken: ct);
            }
            Print(summary);
            return 0;
        });
        return command;
    }

    static TeacherQaWriter? Teacher(string? url, string? model)
    {
        if (url is null && model is null) return null;
        if (url is null || model is null) throw new ArgumentException("--teacher-url and --teacher-model go together");
        var key = Environment.GetEnvironmentVariable(TeacherKeyVariable);
        if (string.IsNullOrEmpty(key)) throw new ArgumentException($"set {TeacherKeyVariable} to the teacher's API key (any value for a local server)");
        var options = new TeacherOptions(url, model, key);
        return new TeacherQaWriter(new TeacherModel(OpenAIChatClientAdapter.Create(options), options));
    }

    static void Print(GenerationSummary s)
    {
        Console.WriteLine($"sources:          {s.Sources}");
        Console.WriteLine($"created:          {s.Created} (pending review)");
        Console.WriteLine($"flagged:          {s.Flagged}{(s.FlagCounts.Count > 0 ? "  (" + string.Join(", ", s.FlagCounts.Select(f => $"{f.Key} {f.Value}")) + ")" : "")}");
        Console.WriteLine($"exact duplicates: {s.ExactDuplicates}");
        Console.WriteLine($"near duplicates:  {s.NearDuplicates} (clustered, kept)");
        Console.WriteLine($"skipped:          {s.Skipped.Values.Sum()}{(s.Skipped.Count > 0 ? "  (" + string.Join(", ", s.Skipped.Select(f => $"{f.Key} {f.Value}")) + ")" : "")}");
        if (s.TeacherCalls > 0) Console.WriteLine($"teacher calls:    {s.TeacherCalls} ({s.TeacherRetries} retries, {s.TeacherErrors.Count} errors)");
        foreach (var error in s.TeacherErrors) Console.WriteLine($"  teacher: {error}");
    }

    static Command List()
    {
        var dataDir = DataDirectoryOption.Create();
        var status = new Option<ExampleStatus?>("--status") { Description = "Pending, Approved or Rejected." };
        var flag = new Option<string?>("--flag") { Description = "Only examples with this flag." };
        var text = new Option<string?>("--search") { Description = "Only examples whose text contains this." };
        var page = new Option<int>("--page") { DefaultValueFactory = _ => 1 };
        var pageSize = new Option<int>("--page-size") { DefaultValueFactory = _ => 20 };
        var command = new Command("list", "List examples (id order) with status, origin, flags, cluster and the first question.")
        {
            dataDir, status, flag, text, page, pageSize,
        };
        command.SetAction(async (pr, ct) =>
        {
            var review = new ReviewService(PlatformDatabase.Initialize(pr.GetValue(dataDir)!));
            var result = await review.ListAsync(new ExampleQuery(pr.GetValue(status), Flag: pr.GetValue(flag), Text: pr.GetValue(text)),
                pr.GetValue(page), pr.GetValue(pageSize), ct);
            Console.WriteLine($"{"id",6}  {"status",-8}  {"origin",-12}  {"cluster",7}  {"flags",-28}  question");
            foreach (var e in result.Items)
            {
                var question = e.Messages.FirstOrDefault(m => m.Role == "user")?.Content.ReplaceLineEndings(" ") ?? "";
                if (question.Length > 60) question = question[..60] + "…";
                Console.WriteLine($"{e.Id,6}  {e.Status,-8}  {e.Origin,-12}  {e.DuplicateClusterId?.ToString() ?? "-",7}  {string.Join(",", e.Flags),-28}  {question}");
            }
            Console.WriteLine($"page {result.Page} of {Math.Max(1, (result.TotalCount + result.PageSize - 1) / result.PageSize)}, {result.TotalCount} examples");
            return 0;
        });
        return command;
    }

    static Command SetStatus(string name, string description, ExampleStatus status)
    {
        var dataDir = DataDirectoryOption.Create();
        var ids = new Argument<long[]>("ID") { Description = "Example ids.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description) { dataDir, ids };
        command.SetAction(async (pr, ct) =>
        {
            var review = new ReviewService(PlatformDatabase.Initialize(pr.GetValue(dataDir)!));
            var list = pr.GetValue(ids)!;
            var changed = status == ExampleStatus.Approved
                ? await review.ApproveAsync(list, Environment.UserName, ct)
                : await review.RejectAsync(list, Environment.UserName, cancellationToken: ct);
            Console.WriteLine($"{name}d {changed} example(s){(changed < list.Distinct().Count() ? $" ({list.Distinct().Count() - changed} already {status.ToString().ToLowerInvariant()})" : "")}");
            return 0;
        });
        return command;
    }
}
