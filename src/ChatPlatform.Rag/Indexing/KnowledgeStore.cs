using System.Globalization;
using System.Text.Json;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Ingestion;
using Microsoft.Data.Sqlite;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// Documents, chunks and the FTS5 (BM25) index in the knowledge database, plus the vector index beside them.
/// Every write is per document and atomic: <see cref="ReplaceDocumentAsync"/> and <see cref="DeleteDocumentAsync"/> change
/// the document row, its chunks, their FTS rows and their vectors in one <see cref="KnowledgeTransaction"/>, so a
/// search sees the old version or the new one, never a mixture or a half-written document.
/// </summary>
public sealed class KnowledgeStore(KnowledgeDatabase database, IVectorIndex? vectors = null)
{
    public KnowledgeDatabase Database => database;
    public IVectorIndex? Vectors => vectors;

    /// <summary>
    /// Replaces the document and all of its chunks (and, given an index, their vectors: <paramref name="embeddings"/>
    /// aligned with <paramref name="chunks"/>, or null to store none).
    /// </summary>
    public async Task ReplaceDocumentAsync(KnowledgeDocument document, IReadOnlyList<Chunk> chunks, IReadOnlyList<float[]>? embeddings,
                                           CancellationToken ct = default)
    {
        if (embeddings is not null && embeddings.Count != chunks.Count)
            throw new ArgumentException($"document {document.Id}: {embeddings.Count} embeddings for {chunks.Count} chunks");
        using var transaction = database.Begin();
        DeleteRows(transaction, document.Id);
        using (var insertDocument = transaction.Command("""
            insert into documents(id, title, path, kind, tags, content_hash, chunk_count, token_count, updated_utc)
            values ($id, $title, $path, $kind, $tags, $hash, $chunks, $tokens, $updated)
            """))
        {
            insertDocument.Parameters.AddWithValue("$id", document.Id);
            insertDocument.Parameters.AddWithValue("$title", document.Title);
            insertDocument.Parameters.AddWithValue("$path", document.Path);
            insertDocument.Parameters.AddWithValue("$kind", document.Kind.ToString());
            insertDocument.Parameters.AddWithValue("$tags", JsonSerializer.Serialize(document.Tags));
            insertDocument.Parameters.AddWithValue("$hash", document.ContentHash);
            insertDocument.Parameters.AddWithValue("$chunks", chunks.Count);
            insertDocument.Parameters.AddWithValue("$tokens", chunks.Sum(c => c.TokenCount));
            insertDocument.Parameters.AddWithValue("$updated", document.UpdatedUtc.ToString("O", CultureInfo.InvariantCulture));
            insertDocument.ExecuteNonQuery();
        }
        using var insertChunk = transaction.Command("""
            insert into chunks(id, document_id, position, heading_path, text, token_count) values ($id, $doc, $pos, $heading, $text, $tokens)
            returning rowid
            """);
        var id = insertChunk.Parameters.Add("$id", SqliteType.Text);
        insertChunk.Parameters.AddWithValue("$doc", document.Id);
        var position = insertChunk.Parameters.Add("$pos", SqliteType.Integer);
        var heading = insertChunk.Parameters.Add("$heading", SqliteType.Text);
        var text = insertChunk.Parameters.Add("$text", SqliteType.Text);
        var tokens = insertChunk.Parameters.Add("$tokens", SqliteType.Integer);
        using var insertFts = transaction.Command("insert into chunks_fts(rowid, text, heading, title) values ($rowid, $text, $heading, $title)");
        var ftsRow = insertFts.Parameters.Add("$rowid", SqliteType.Integer);
        var ftsText = insertFts.Parameters.Add("$text", SqliteType.Text);
        var ftsHeading = insertFts.Parameters.Add("$heading", SqliteType.Text);
        insertFts.Parameters.AddWithValue("$title", document.Title);
        var chunkVectors = new List<ChunkVector>(chunks.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            if (chunk.DocumentId != document.Id) throw new ArgumentException($"chunk {chunk.Id} belongs to {chunk.DocumentId}, not {document.Id}");
            id.Value = chunk.Id;
            position.Value = chunk.Position;
            heading.Value = JsonSerializer.Serialize(chunk.HeadingPath);
            text.Value = chunk.Text;
            tokens.Value = chunk.TokenCount;
            var rowId = (long)insertChunk.ExecuteScalar()!;
            ftsRow.Value = rowId;
            ftsText.Value = chunk.Text;
            ftsHeading.Value = chunk.HeadingText;
            insertFts.ExecuteNonQuery();
            if (embeddings is not null) chunkVectors.Add(new ChunkVector(chunk.Id, rowId, embeddings[i]));
        }
        if (vectors is not null)
        {
            if (embeddings is not null) await vectors.UpsertDocumentAsync(transaction, document.Id, chunkVectors, ct);
            else await vectors.DeleteDocumentAsync(transaction, document.Id, ct);
        }
        ct.ThrowIfCancellationRequested();
        transaction.Commit();
    }

    /// <summary>Removes the document from every index; false when there was no such document.</summary>
    public async Task<bool> DeleteDocumentAsync(string documentId, CancellationToken ct = default)
    {
        using var transaction = database.Begin();
        var existed = DeleteRows(transaction, documentId);
        if (!existed) return false;
        if (vectors is not null) await vectors.DeleteDocumentAsync(transaction, documentId, ct);
        transaction.Commit();
        return true;
    }

    private static bool DeleteRows(KnowledgeTransaction transaction, string documentId)
    {
        using var command = transaction.Command("""
            delete from chunks_fts where rowid in (select rowid from chunks where document_id = $d);
            delete from chunk_vectors where document_id = $d;
            delete from chunks where document_id = $d;
            delete from documents where id = $d;
            """);
        command.Parameters.AddWithValue("$d", documentId);
        command.ExecuteNonQuery();
        using var changes = transaction.Command("select changes()");
        return (long)changes.ExecuteScalar()! > 0;
    }

    public KnowledgeDocument? GetDocument(string documentId) =>
        QueryDocuments("where id = $id", ("$id", documentId)).FirstOrDefault();

    public IReadOnlyList<KnowledgeDocument> ListDocuments() => QueryDocuments("order by path");

    public int CountChunks()
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from chunks";
        return (int)(long)command.ExecuteScalar()!;
    }

    /// <summary>The document ids a filter allows, or null when it allows every document.</summary>
    public IReadOnlySet<string>? ResolveFilter(RetrievalFilter? filter)
    {
        if (filter is null || filter.IsEmpty) return null;
        var clauses = new List<string>();
        var parameters = new List<(string, object)>();
        if (filter.DocumentIds is not null)
        {
            clauses.Add("id in (select value from json_each($ids))");
            parameters.Add(("$ids", JsonSerializer.Serialize(filter.DocumentIds)));
        }
        if (filter.Kinds is not null)
        {
            clauses.Add("kind in (select value from json_each($kinds))");
            parameters.Add(("$kinds", JsonSerializer.Serialize(filter.Kinds.Select(k => k.ToString()))));
        }
        if (filter.Tags is not null)
        {
            clauses.Add("exists (select 1 from json_each(tags) t where t.value in (select value from json_each($tags)))");
            parameters.Add(("$tags", JsonSerializer.Serialize(filter.Tags)));
        }
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "select id from documents where " + string.Join(" and ", clauses);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// BM25 over chunk text, heading path and document title (weights 1, 2, 1), best first; query text is escaped by
    /// <see cref="FtsQuery"/>. Ranking only: the FTS5 query scores the matching rows and keeps the top k, then those k
    /// rows are joined to their chunk ids. (Excerpts are made from the chunk text by the retriever, for the passages it
    /// returns; asking FTS5 for snippet() re-runs the full-text query per row and cost more than the ranking.)
    /// In a large knowledge base, words most chunks contain only rank the chunks that have a rarer query word too
    /// (<see cref="CommonTerms"/>): scoring is the per-row cost, and those rows are where it went.
    /// </summary>
    public IReadOnlyList<Bm25Hit> SearchBm25(string query, int topK, IReadOnlySet<string>? documentIds = null)
    {
        var words = FtsQuery.Words(query);
        if (words.Count == 0 || topK <= 0 || documentIds is { Count: 0 }) return [];
        using var connection = database.Connect();
        var rare = CommonTerms.RareWords(connection, words);
        // "+f.rowid": a plain rowid IN (...) would be handed to FTS5 as a rowid constraint and re-run the full query
        // once per listed row; the unary plus keeps it a filter on the rows the one full-text scan yields.
        var rareOnly = rare is null ? "" : "and +f.rowid in (select rowid from chunks_fts where chunks_fts match $rare)";
        var inDocuments = documentIds is null ? "" : "and c.document_id in (select value from json_each($ids))";
        using var rank = connection.CreateCommand();
        rank.CommandText = documentIds is null
            ? $"""
              select c.id, t.score from
                (select f.rowid, bm25(chunks_fts, 1.0, 2.0, 1.0) as score from chunks_fts f
                 where chunks_fts match $q {rareOnly} order by score limit $k) t
              join chunks c on c.rowid = t.rowid order by t.score
              """
            : $"""
              select c.id, bm25(chunks_fts, 1.0, 2.0, 1.0) as score from chunks_fts f join chunks c on c.rowid = f.rowid
              where chunks_fts match $q {rareOnly} {inDocuments} order by score limit $k
              """;
        rank.Parameters.AddWithValue("$q", FtsQuery.Any(words));
        rank.Parameters.AddWithValue("$k", topK);
        if (rare is not null) rank.Parameters.AddWithValue("$rare", FtsQuery.Any(rare));
        if (documentIds is not null) rank.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(documentIds));
        var hits = new List<Bm25Hit>(topK);
        using var reader = rank.ExecuteReader();
        while (reader.Read()) hits.Add(new Bm25Hit(reader.GetString(0), -reader.GetDouble(1)));
        return hits;
    }

    /// <summary>The chunks with these ids (unknown ids are absent), with their documents' citation fields.</summary>
    public IReadOnlyDictionary<string, StoredChunk> GetChunks(IEnumerable<string> chunkIds)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            select c.id, c.rowid, c.document_id, c.position, c.heading_path, c.text, d.title, d.path, d.kind
            from chunks c join documents d on d.id = c.document_id
            where c.id in (select value from json_each($ids))
            """;
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(chunkIds.Distinct().ToList()));
        using var reader = command.ExecuteReader();
        var chunks = new Dictionary<string, StoredChunk>(StringComparer.Ordinal);
        while (reader.Read())
        {
            chunks[reader.GetString(0)] = new StoredChunk(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                JsonSerializer.Deserialize<string[]>(reader.GetString(4))!, reader.GetString(5), reader.GetString(6), reader.GetString(7),
                Enum.Parse<DocumentKind>(reader.GetString(8)));
        }
        return chunks;
    }

    /// <summary>All chunks of one document in order.</summary>
    public IReadOnlyList<StoredChunk> GetDocumentChunks(string documentId)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "select id from chunks where document_id = $d order by position";
        command.Parameters.AddWithValue("$d", documentId);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        var chunks = GetChunks(ids);
        return ids.Select(i => chunks[i]).ToList();
    }

    private List<KnowledgeDocument> QueryDocuments(string where, params (string Name, object Value)[] parameters)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"select id, title, path, kind, tags, content_hash, chunk_count, token_count, updated_utc from documents {where}";
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var documents = new List<KnowledgeDocument>();
        while (reader.Read())
        {
            documents.Add(new KnowledgeDocument(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                Enum.Parse<DocumentKind>(reader.GetString(3)), JsonSerializer.Deserialize<string[]>(reader.GetString(4))!,
                reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7),
                DateTime.Parse(reader.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)));
        }
        return documents;
    }
}
