using System.Text.Json;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Storage;
using ChatPlatform.Core.Teacher;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin.Examples;

/// <summary>Where generated examples come from.</summary>
public enum GenerationSource { Conversations, Documents }

/// <summary>
/// SFT example generation as a background job (kind <see cref="JobKinds.Generation"/>) over Core's generators: from the
/// imported support conversations, or from the knowledge base's chunks (FAQ entries directly, other sections through
/// the teacher endpoint of the Teacher settings when one is configured). Documents are generated one at a time, so the
/// job reports progress per document; the result is the summary (created, skipped and why, teacher calls).
/// </summary>
public sealed class ExampleGeneration(JobRunner jobs, KnowledgeStore knowledge, IDbContextFactory<PlatformDbContext> contexts,
    IOptionsMonitor<TeacherSettings> teacher)
{
    public Task<long> StartAsync(GenerationSource source, string actor, string? systemPrompt = null, CancellationToken ct = default)
    {
        // A teacher configured wrongly fails now, naming the setting, rather than in the job.
        var teacherOptions = source == GenerationSource.Documents && teacher.CurrentValue.Configured ? teacher.CurrentValue.ToOptions() : null;
        return jobs.EnqueueAsync(JobKinds.Generation, new { source = source.ToString().ToLowerInvariant(), teacher = teacherOptions?.Identity }, actor,
            context => source == GenerationSource.Conversations
                ? FromConversationsAsync(context, actor, systemPrompt)
                : FromDocumentsAsync(context, actor, systemPrompt, teacherOptions), ct);
    }

    private async Task<string?> FromConversationsAsync(JobContext context, string actor, string? systemPrompt)
    {
        context.Report(0, "generating examples from the imported conversations");
        await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
        var summary = await ConversationExampleGenerator.GenerateAsync(db, new ConversationExampleOptions(SystemPrompt: systemPrompt), actor,
            cancellationToken: context.CancellationToken);
        context.Report(1, Describe(summary));
        return JsonSerializer.Serialize(summary);
    }

    private async Task<string?> FromDocumentsAsync(JobContext context, string actor, string? systemPrompt, TeacherOptions? teacherOptions)
    {
        var writer = teacherOptions is null ? null : new TeacherQaWriter(new TeacherModel(OpenAIChatClientAdapter.Create(teacherOptions), teacherOptions));
        var documents = knowledge.ListDocuments();
        var total = new GenerationSummary();
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            context.Report((double)i / Math.Max(1, documents.Count), $"{document.Title} ({i + 1}/{documents.Count})");
            var sections = knowledge.GetDocumentChunks(document.Id)
                .Select(c => new DocumentSection(c.DocumentId, c.Title, c.HeadingPath, c.Text, c.Id)).ToList();
            await using var db = await contexts.CreateDbContextAsync(context.CancellationToken);
            Add(total, await DocumentExampleGenerator.GenerateAsync(db, sections, writer, systemPrompt, actor, cancellationToken: context.CancellationToken));
        }
        context.Report(1, Describe(total) + (writer is null ? " (no teacher configured: only FAQ entries)" : ""));
        return JsonSerializer.Serialize(total);
    }

    private static void Add(GenerationSummary total, GenerationSummary part)
    {
        (total.Sources, total.Created, total.Flagged, total.NearDuplicates) =
            (total.Sources + part.Sources, total.Created + part.Created, total.Flagged + part.Flagged, total.NearDuplicates + part.NearDuplicates);
        (total.TeacherCalls, total.TeacherRetries) = (total.TeacherCalls + part.TeacherCalls, total.TeacherRetries + part.TeacherRetries);
        foreach (var (reason, count) in part.Skipped) total.Skip(reason, count);
        foreach (var (flag, count) in part.FlagCounts) total.FlagCounts[flag] = total.FlagCounts.GetValueOrDefault(flag) + count;
        total.TeacherErrors.AddRange(part.TeacherErrors);
    }

    private static string Describe(GenerationSummary s) =>
        $"{s.Created} example(s) created from {s.Sources} source(s)" + (s.Skipped.Count > 0 ? $", skipped: {string.Join(", ", s.Skipped.Select(kv => $"{kv.Key} {kv.Value}"))}" : "");
}
