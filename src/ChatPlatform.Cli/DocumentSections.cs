using ChatPlatform.Core.Examples;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Cli;

/// <summary>
/// Document sections for `examples generate --from documents --docs DIR`, cut the way the knowledge base cuts them: each
/// file through ChatPlatform.Rag's parser (Markdown, text, HTML, PDF, DOCX, FAQ) and chunker, one section per chunk with
/// its heading path. Document and chunk ids are the knowledge base's (same path, default chunking), so an example's
/// SourceId names the chunk retrieval cites.
/// </summary>
internal static class DocumentSections
{
    public static async Task<IReadOnlyList<DocumentSection>> ReadAsync(string folder, ITokenCounter counter, CancellationToken ct)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--docs: no folder {folder}");
        var chunker = new Chunker(counter, new ChunkingOptions());
        var limits = new IngestionLimits();
        var sections = new List<DocumentSection>();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            LoadedDocument loaded;
            try
            {
                loaded = await DocumentParser.LoadAsync(file, limits, ct);
            }
            catch (DocumentParseException e)
            {
                // One unreadable file does not stop the others, as in `knowledge add`.
                Console.Error.WriteLine($"skipped {file}: {e.Reason}");
                continue;
            }
            var documentId = KnowledgeIngestor.DocumentIdFor(file);
            foreach (var chunk in chunker.Chunk(documentId, loaded.Parsed))
                sections.Add(new DocumentSection(documentId, loaded.Parsed.Title, chunk.HeadingPath, chunk.Text, chunk.Id));
        }
        return sections;
    }
}
