using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Ingestion;

public enum IngestOutcome
{
    Added,
    Replaced,
    Unchanged,
    Failed,
}

/// <summary>What happened to one file; <see cref="Error"/> says why when it failed.</summary>
public sealed record IngestResult(string Path, IngestOutcome Outcome, string? DocumentId = null, int Chunks = 0, string? Error = null);

/// <summary>
/// Adds files to the knowledge base: parse, chunk, embed (when an embedding generator is configured), then replace the
/// document atomically in the store. Idempotent per file: the document id comes from the file's full path and the
/// content hash covers bytes, tags, chunking and embedding settings, so adding an unchanged file again is a no-op
/// and adding a changed one replaces all of its chunks in one transaction.
/// </summary>
public sealed partial class KnowledgeIngestor
{
    private const int EmbeddingBatch = 32;

    private readonly KnowledgeStore store;
    private readonly ITokenCounter counter;
    private readonly ChunkingOptions chunking;
    private readonly IngestionLimits limits;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? embedder;
    private readonly string embeddingModel;
    private readonly Chunker chunker;

    /// <param name="embeddingModel">The id the vector index was bound with (<see cref="EmbeddingBinding.BindAsync"/>); required with an embedder.</param>
    public KnowledgeIngestor(KnowledgeStore store, ITokenCounter counter, ChunkingOptions? chunking = null, IngestionLimits? limits = null,
                             IEmbeddingGenerator<string, Embedding<float>>? embedder = null, string? embeddingModel = null)
    {
        if (embedder is not null && (store.Vectors is null || embeddingModel is null))
            throw new ArgumentException("an embedding generator needs a vector index bound to it (EmbeddingBinding.BindAsync)");
        this.store = store;
        this.counter = counter;
        this.chunking = chunking ?? new ChunkingOptions();
        this.limits = limits ?? new IngestionLimits();
        this.embedder = embedder;
        // The vector store is part of the signature: moving from the embedded index to Qdrant must re-embed every file.
        this.embeddingModel = embedder is null ? "none" : $"{embeddingModel}@{store.Vectors!.Name}";
        chunker = new Chunker(counter, this.chunking);
    }

    /// <summary>Files and folders (recursively, skipping hidden entries) in a stable order; one result per file.</summary>
    public async IAsyncEnumerable<IngestResult> AddPathsAsync(IEnumerable<string> paths, IReadOnlyList<string>? tags = null,
                                                              [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files) yield return await AddFileAsync(file, tags, ct);
            }
            else
            {
                yield return await AddFileAsync(path, tags, ct);
            }
        }
    }

    /// <summary>Adds or replaces one file; a bad file is a <see cref="IngestOutcome.Failed"/> result, not an exception.</summary>
    public async Task<IngestResult> AddFileAsync(string path, IReadOnlyList<string>? tags = null, CancellationToken ct = default)
    {
        tags ??= [];
        try
        {
            var loaded = await DocumentParser.LoadAsync(path, limits, ct);
            var id = DocumentIdFor(path);
            var hash = ContentHash(loaded.Content, tags);
            var existing = store.GetDocument(id);
            if (existing is not null && existing.ContentHash == hash)
                return new IngestResult(path, IngestOutcome.Unchanged, id, existing.ChunkCount);
            var chunks = chunker.Chunk(id, loaded.Parsed);
            if (chunks.Count == 0) throw new DocumentParseException(path, "no text to index");
            var embeddings = embedder is null ? null : await EmbedAsync(loaded.Parsed.Title, chunks, ct);
            var document = new KnowledgeDocument(id, loaded.Parsed.Title, Path.GetFullPath(path), loaded.Parsed.Kind, tags, hash,
                                                 chunks.Count, chunks.Sum(c => c.TokenCount), DateTime.UtcNow);
            await store.ReplaceDocumentAsync(document, chunks, embeddings, ct);
            return new IngestResult(path, existing is null ? IngestOutcome.Added : IngestOutcome.Replaced, id, chunks.Count);
        }
        catch (DocumentParseException e)
        {
            return new IngestResult(path, IngestOutcome.Failed, Error: e.Reason);
        }
        catch (UnauthorizedAccessException e)
        {
            return new IngestResult(path, IngestOutcome.Failed, Error: e.Message);
        }
    }

    /// <summary>The text a chunk is embedded as: title and heading path give the passage its context.</summary>
    public static string EmbeddingText(string title, Chunk chunk) =>
        chunk.HeadingPath.Count == 0 ? $"{title}\n\n{chunk.Text}" : $"{title}\n{chunk.HeadingText}\n\n{chunk.Text}";

    private async Task<IReadOnlyList<float[]>> EmbedAsync(string title, IReadOnlyList<Chunk> chunks, CancellationToken ct)
    {
        var vectors = new List<float[]>(chunks.Count);
        foreach (var batch in chunks.Chunk(EmbeddingBatch))
        {
            var embeddings = await embedder!.GenerateAsync(batch.Select(c => EmbeddingText(title, c)), EmbeddingPurpose.Passage(), ct);
            if (embeddings.Count != batch.Length)
                throw new InvalidOperationException($"the embedding generator returned {embeddings.Count} vectors for {batch.Length} texts");
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
        }
        return vectors;
    }

    private string ContentHash(byte[] content, IReadOnlyList<string> tags)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(content);
        hash.AppendData(Encoding.UTF8.GetBytes($"\n{string.Join(',', tags.Order(StringComparer.Ordinal))}\n{chunking.Signature(counter)}\nembed:{embeddingModel}"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A readable, stable id: the file name as a slug plus 8 hex digits of the full path's hash (e.g. router-guide-3fa2b1c9).</summary>
    public static string DocumentIdFor(string path)
    {
        var full = Path.GetFullPath(path);
        var slug = NonSlug().Replace(Path.GetFileNameWithoutExtension(full).ToLowerInvariant(), "-").Trim('-');
        if (slug.Length > 40) slug = slug[..40].TrimEnd('-');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)), 0, 4);
        return slug.Length == 0 ? $"doc-{hash}" : $"{slug}-{hash}";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
