using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Import;
using ChatPlatform.Core.Knowledge;
using ChatPlatform.Core.Redaction;
using ChatPlatform.Core.Storage;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Demo;

/// <summary>What loading the demo did: the imports, the generated examples and the documents added.</summary>
public sealed record DemoLoadResult(IReadOnlyList<ImportSummary> Imports, GenerationSummary Examples, IReadOnlyList<IngestResult> Documents);

/// <summary>
/// Loads the fictional "Penguin Wood" demo in knowledge/ into an empty platform (first run): the support logs
/// (JSONL, Zendesk export, transcripts; PII redacted), the pending SFT examples generated from them, and the product
/// docs as the knowledge base. A platform that already holds imports or documents is left alone.
/// </summary>
public static class DemoData
{
    /// <summary>The demo's order numbers ("PW-ORD-123456") are customer data too.</summary>
    public static RedactionOptions Redaction { get; } = new() { CustomPatterns = new() { ["ORDER"] = @"\bPW-ORD-\d{6}\b" } };

    static readonly (string File, LogFormat Format)[] Logs =
    [
        ("support-logs/conversations.jsonl", LogFormat.Jsonl),
        ("support-logs/zendesk-export.jsonl", LogFormat.Zendesk),
        ("support-logs/transcripts.txt", LogFormat.Transcript),
    ];

    /// <summary>Null when the platform is not empty (nothing done).</summary>
    public static async Task<DemoLoadResult?> LoadIfEmptyAsync(string dataDirectory, string knowledgeDirectory,
        ITokenCounter? tokenCounter = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(knowledgeDirectory))
            throw new DirectoryNotFoundException($"{knowledgeDirectory}: the demo knowledge folder does not exist");
        var database = PlatformDatabase.Initialize(dataDirectory);
        var knowledge = new KnowledgeStore(KnowledgeDatabase.OpenInDataDirectory(dataDirectory));
        await using (var db = new PlatformDbContext(database))
            if (await db.ImportRuns.AnyAsync(cancellationToken) || knowledge.ListDocuments().Count > 0) return null;

        var importer = new SupportLogImporter(database, new PiiRedactor(Redaction));
        var imports = Logs.Select(log => importer.Import(Path.Combine(knowledgeDirectory, log.File), log.Format,
            cancellationToken: cancellationToken)).ToList();

        GenerationSummary examples;
        await using (var db = new PlatformDbContext(database))
            examples = await ConversationExampleGenerator.GenerateAsync(db, new ConversationExampleOptions(), "demo",
                cancellationToken: cancellationToken);

        var ingestor = new KnowledgeIngestor(knowledge, tokenCounter ?? ApproximateTokenCounter.Instance);
        var documents = new List<IngestResult>();
        await using (var db = new PlatformDbContext(database))
            await foreach (var result in ingestor.AddPathsAsync([Path.Combine(knowledgeDirectory, "docs")], ["demo"], cancellationToken))
            {
                documents.Add(result);
                await DocumentHistory.RecordIngestAsync(db, knowledge, result, "demo", cancellationToken);
            }
        return new DemoLoadResult(imports, examples, documents);
    }
}
