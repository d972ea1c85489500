using ChatPlatform.Core.Knowledge;
using ChatPlatform.Core.Storage;
using System.CommandLine;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform knowledge add|list|remove`: the knowledge base in DATA_DIR/knowledge.db. With --embedding-model the
/// chunks are also embedded (as passages) into the vector store (--vector-store); without, they are indexed for BM25 only.
/// </summary>
internal static class KnowledgeCommand
{
    public static Command Create()
    {
        var knowledge = new Command("knowledge", "Add, list and remove the documents retrieval answers from.");
        knowledge.Subcommands.Add(Add());
        knowledge.Subcommands.Add(List());
        knowledge.Subcommands.Add(Remove());
        return knowledge;
    }

    /// <summary>The token counter chunks are sized with: the model's tokenizer when given, else the documented approximation.</summary>
    public static ITokenCounter Counter(string? tokenizerModel) =>
        tokenizerModel is null ? ApproximateTokenCounter.Instance : ModelTokenCounter.FromModelDirectory(tokenizerModel);

    private static Command Add()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var knowledge = new KnowledgeOptions();
        var tags = new Option<string[]>("--tag") { Description = "A tag for filtering (repeatable).", AllowMultipleArgumentsPerToken = false };
        var tokenizer = new Option<string?>("--tokenizer")
        {
            Description = "A model folder whose tokenizer.json sizes the chunks (default: an approximation, ~4 characters per token).",
        };
        var chunkTokens = new Option<int>("--chunk-tokens") { Description = "Largest chunk in tokens.", DefaultValueFactory = _ => 400 };
        var overlap = new Option<int>("--overlap-tokens") { Description = "Tokens repeated when a section is split.", DefaultValueFactory = _ => 50 };
        var command = new Command("add", "Add or update documents: Markdown, text, HTML, PDF, DOCX, FAQ JSON/CSV. Unchanged files are skipped.")
        {
            paths, tags, tokenizer, chunkTokens, overlap,
        };
        knowledge.AddTo(command);
        command.SetAction(async (pr, ct) =>
        {
            using var session = await knowledge.OpenAsync(pr, ct);
            var chunking = new ChunkingOptions { MaxTokens = pr.GetValue(chunkTokens), OverlapTokens = pr.GetValue(overlap) };
            var ingestor = new KnowledgeIngestor(session.Store, Counter(pr.GetValue(tokenizer)), chunking,
                                                 embedder: session.Embedder, embeddingModel: session.EmbeddingModelId);
            int failed = 0, total = 0;
            await using var db = new PlatformDbContext(PlatformDatabase.Initialize(pr.GetValue(knowledge.DataDir)!));
            await foreach (var result in ingestor.AddPathsAsync(pr.GetValue(paths)!, pr.GetValue(tags) ?? [], ct))
            {
                total++;
                await DocumentHistory.RecordIngestAsync(db, session.Store, result, Environment.UserName, ct);
                if (result.Outcome == IngestOutcome.Failed)
                {
                    failed++;
                    Console.WriteLine($"failed     {result.Path}: {result.Error}");
                }
                else
                {
                    Console.WriteLine($"{result.Outcome.ToString().ToLowerInvariant(),-10} {result.Path} -> {result.DocumentId} ({result.Chunks} chunks)");
                }
            }
            Console.WriteLine($"{total - failed} of {total} files indexed, {session.Describe()}");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command List()
    {
        var dataDir = DataDirectoryOption.Create();
        var command = new Command("list", "List the documents in the knowledge base.") { dataDir };
        command.SetAction(pr =>
        {
            var store = new KnowledgeStore(KnowledgeDatabase.OpenInDataDirectory(pr.GetValue(dataDir)!));
            var documents = store.ListDocuments();
            if (documents.Count == 0)
            {
                Console.WriteLine("no documents; add some with: chatplatform knowledge add PATH");
                return 0;
            }
            Console.WriteLine($"{"id",-32} {"kind",-9} {"chunks",6} {"tokens",7}  title / path");
            foreach (var d in documents)
            {
                var tags = d.Tags.Count > 0 ? $" [{string.Join(", ", d.Tags)}]" : "";
                Console.WriteLine($"{d.Id,-32} {d.Kind,-9} {d.ChunkCount,6} {d.TokenCount,7}  {d.Title}{tags}");
                Console.WriteLine($"{"",-32} {"",-9} {"",6} {"",7}  {d.Path}");
            }
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "A document id from `knowledge list`." };
        var knowledge = new KnowledgeOptions();
        var command = new Command("remove", "Remove a document from every index (with Qdrant, give the same options as to add).") { id };
        knowledge.AddTo(command);
        command.SetAction(async (pr, ct) =>
        {
            using var session = await knowledge.OpenAsync(pr, ct);
            if (!await session.Store.DeleteDocumentAsync(pr.GetValue(id)!, ct))
                throw new ArgumentException($"no document with id '{pr.GetValue(id)}' (see chatplatform knowledge list)");
            await using (var db = new PlatformDbContext(PlatformDatabase.Initialize(pr.GetValue(knowledge.DataDir)!)))
                await DocumentHistory.RecordRemovalAsync(db, pr.GetValue(id)!, ct);
            Console.WriteLine($"removed {pr.GetValue(id)}");
            return 0;
        });
        return command;
    }
}
