using ChatPlatform.Core.Dedup;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Core.Teacher;

namespace ChatPlatform.Core.Examples;

/// <summary>
/// Generates pending examples from document sections: FAQ entries become examples directly (origin Document);
/// other sections go to the teacher model when one is configured (origin Teacher), and are skipped otherwise.
/// </summary>
public static class DocumentExampleGenerator
{
    public static async Task<GenerationSummary> GenerateAsync(
        PlatformDbContext db, IEnumerable<DocumentSection> sections, TeacherQaWriter? teacher, string? systemPrompt, string actor,
        NearDuplicateOptions? nearDuplicates = null, CancellationToken cancellationToken = default)
    {
        var summary = new GenerationSummary();
        var candidates = new List<ExampleCandidate>();
        foreach (var section in sections)
        {
            summary.Sources++;
            var faq = MarkdownFaqExtractor.Extract(section);
            if (faq.Count > 0)
            {
                foreach (var pair in faq)
                {
                    var messages = new List<ExampleMessage>();
                    if (!string.IsNullOrWhiteSpace(systemPrompt)) messages.Add(new("system", systemPrompt.Trim()));
                    messages.Add(new("user", pair.Question));
                    messages.Add(new("assistant", pair.Answer));
                    candidates.Add(new ExampleCandidate(messages, ExampleOrigin.Document, "chunk", section.ChunkId, []));
                }
                continue;
            }
            if (teacher is null) { summary.Skip(SkipReasons.NoFaqAndNoTeacher); continue; }
            candidates.AddRange(await teacher.WriteFromChunkAsync(section, systemPrompt, summary, cancellationToken));
        }
        await ExampleWriter.AddAsync(db, candidates, summary, nearDuplicates, cancellationToken: cancellationToken);
        await Audit.WriteAsync(db, actor, "examples.generate", "documents", summary, cancellationToken);
        return summary;
    }
}
