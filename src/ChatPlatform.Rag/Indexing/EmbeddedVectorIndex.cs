using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// The server-less vector store: vectors are BLOBs in the knowledge database (table chunk_vectors, written in the
/// same transaction as the chunk and FTS rows), and search is exact: one contiguous float matrix of unit vectors in
/// memory, scored with SIMD dot products (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>)
/// and a top-k heap. The matrix is loaded on first use and then kept current from each committed upsert or delete
/// (a deleted row is filled by the last row, so the matrix stays dense). Search is exact but reads the floats of only
/// a few rows: an int8 copy of the matrix is scanned first and bounds every row's score (<see cref="Int8Rows"/>), and
/// only rows that could be in the top k are scored in float. That pre-scan reads ~40 MB for 100k x 384 (the floats
/// are 150 MB), a few milliseconds of memory bandwidth; beyond a few hundred thousand chunks use an approximate store
/// such as Qdrant.
/// </summary>
public sealed class EmbeddedVectorIndex(KnowledgeDatabase database) : IVectorIndex, IDisposable
{
    private const int ParallelThreshold = 16_384;

    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private bool loaded;
    private int dimension;
    private float[] matrix = [];
    private string[] chunkIds = [];
    private int[] documentOfRow = [];
    private int count;
    private readonly Int8Rows quantized = new();
    private readonly Dictionary<string, int> rowOfChunk = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> documentOrdinals = new(StringComparer.Ordinal);

    public string Name => "embedded";

    /// <summary>
    /// Threads that scan an index of 16k rows or more. Default half the cores: the scan is bound by memory bandwidth,
    /// which a few threads saturate (on 2 cores one thread's p95 equals two threads'), and hybrid retrieval runs its
    /// BM25 query beside the scan on the other cores.
    /// </summary>
    public int ScanPartitions { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Rows currently in memory (after the lazy load).</summary>
    public int Count
    {
        get
        {
            EnsureLoaded();
            return count;
        }
    }

    public Task<VectorIndexHealth> CheckHealthAsync(CancellationToken ct = default) =>
        Task.FromResult(new VectorIndexHealth(true, $"{Count:N0} vectors of {dimension} dimensions in memory, from {database.Path}"));

    public Task InitializeAsync(int dimension, string embeddingModel, CancellationToken ct = default)
    {
        if (dimension <= 0) throw new ArgumentException($"embedding dimension must be positive, not {dimension}");
        using var connection = database.Connect();
        var storedDimension = Meta(connection, "embedding_dimension");
        var storedModel = Meta(connection, "embedding_model");
        if (storedDimension is null)
        {
            using var probe = connection.CreateCommand();
            probe.CommandText = "select length(vector) / 4 from chunk_vectors limit 1";
            if (probe.ExecuteScalar() is long existing) storedDimension = existing.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (storedDimension is not null && storedDimension != dimension.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw new InvalidOperationException(
                $"{database.Path} holds {storedDimension}-dimensional vectors{(storedModel is null ? "" : $" from '{storedModel}'")}, " +
                $"but the embedding model '{embeddingModel}' gives {dimension}; remove the knowledge database and add the documents again");
        if (storedModel is not null && storedModel != embeddingModel)
            throw new InvalidOperationException(
                $"{database.Path} was embedded with '{storedModel}', not '{embeddingModel}'; vectors of different models are not comparable: " +
                "remove the knowledge database and add the documents again");
        using var write = connection.CreateCommand();
        write.CommandText = "insert or replace into index_meta(key, value) values ('embedding_dimension', $d), ('embedding_model', $m)";
        write.Parameters.AddWithValue("$d", dimension.ToString(System.Globalization.CultureInfo.InvariantCulture));
        write.Parameters.AddWithValue("$m", embeddingModel);
        write.ExecuteNonQuery();
        this.dimension = dimension;
        return Task.CompletedTask;
    }

    public Task UpsertDocumentAsync(KnowledgeTransaction transaction, string documentId, IReadOnlyList<ChunkVector> vectors,
                                    CancellationToken ct = default)
    {
        var normalized = vectors.Select(v => (v.ChunkId, v.ChunkRowId, Vector: VectorMath.Normalized(v.Vector.Span))).ToList();
        var width = normalized.Count > 0 ? normalized[0].Vector.Length : 0;
        if (normalized.Any(v => v.Vector.Length != width))
            throw new ArgumentException($"document {documentId}: embeddings of different lengths");
        if (width > 0 && dimension > 0 && width != dimension)
            throw new ArgumentException($"document {documentId}: {width}-dimensional embeddings in a {dimension}-dimensional index");
        DeleteRows(transaction, documentId);
        using var insert = transaction.Command("insert into chunk_vectors(chunk_rowid, document_id, vector) values ($r, $d, $v)");
        var rowParameter = insert.Parameters.Add("$r", SqliteType.Integer);
        insert.Parameters.AddWithValue("$d", documentId);
        var vectorParameter = insert.Parameters.Add("$v", SqliteType.Blob);
        foreach (var (_, rowId, vector) in normalized)
        {
            rowParameter.Value = rowId;
            vectorParameter.Value = VectorMath.ToBlob(vector);
            insert.ExecuteNonQuery();
        }
        transaction.OnCommitted(() => Apply(documentId, normalized.Select(v => (v.ChunkId, v.Vector)).ToList()));
        return Task.CompletedTask;
    }

    public Task DeleteDocumentAsync(KnowledgeTransaction transaction, string documentId, CancellationToken ct = default)
    {
        DeleteRows(transaction, documentId);
        transaction.OnCommitted(() => Apply(documentId, []));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<VectorHit>> SearchAsync(ReadOnlyMemory<float> query, int topK, IReadOnlySet<string>? documentIds = null,
                                                     CancellationToken ct = default) =>
        Task.FromResult(Search(query.Span, topK, documentIds));

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int topK, IReadOnlySet<string>? documentIds = null)
    {
        EnsureLoaded();
        gate.EnterReadLock();
        try
        {
            if (count == 0 || topK <= 0) return [];
            if (query.Length != dimension)
                throw new ArgumentException($"a {query.Length}-dimensional query against {dimension}-dimensional vectors");
            var unit = VectorMath.Normalized(query);
            bool[]? allowed = null;
            if (documentIds is not null)
            {
                allowed = new bool[documentOrdinals.Count];
                foreach (var id in documentIds)
                    if (documentOrdinals.TryGetValue(id, out var ordinal)) allowed[ordinal] = true;
            }
            var partitions = count >= ParallelThreshold ? ScanPartitions : 1;
            var heaps = new PriorityQueue<int, float>[partitions];
            var rowsPer = (count + partitions - 1) / partitions;
            var prepared = quantized.Prepare(unit);
            Parallel.For(0, partitions, p =>
                heaps[p] = TopK(unit, prepared, p * rowsPer, Math.Min(count, (p + 1) * rowsPer), topK, allowed));
            var merged = new List<VectorHit>();
            foreach (var heap in heaps)
                while (heap.TryDequeue(out var row, out var score)) merged.Add(new VectorHit(chunkIds[row], score));
            return merged.OrderByDescending(h => h.Score).ThenBy(h => h.ChunkId, StringComparer.Ordinal).Take(topK).ToList();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public Task<IReadOnlyDictionary<string, float[]>> GetVectorsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        EnsureLoaded();
        gate.EnterReadLock();
        try
        {
            var result = new Dictionary<string, float[]>();
            foreach (var id in ids)
                if (rowOfChunk.TryGetValue(id, out var row)) result[id] = matrix.AsSpan(row * dimension, dimension).ToArray();
            return Task.FromResult<IReadOnlyDictionary<string, float[]>>(result);
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    /// <summary>
    /// Min-heap of the best k rows in [start, end): the worst kept score is on top, replaced by anything better.
    /// First the int8 pre-scan (<see cref="Int8Rows"/>) gives each row an interval that holds its exact score; the k-th
    /// best lower end is a score the top k certainly reach, so only rows whose upper end reaches it are scored in float.
    /// The result is the full float scan's; the pre-scan reads a quarter of the bytes.
    /// </summary>
    private PriorityQueue<int, float> TopK(float[] query, Int8Rows.Query prepared, int start, int end, int k, bool[]? allowed)
    {
        var length = end - start;
        var estimates = System.Buffers.ArrayPool<float>.Shared.Rent(length);
        var bounds = System.Buffers.ArrayPool<float>.Shared.Rent(length);
        try
        {
            var lowerEnds = new PriorityQueue<int, float>(k + 1);
            for (var row = start; row < end; row++)
            {
                if (allowed is not null && !allowed[documentOfRow[row]]) continue;
                var (estimate, bound) = quantized.Estimate(row, prepared);
                estimates[row - start] = estimate;
                bounds[row - start] = bound;
                var lower = estimate - bound;
                if (lowerEnds.Count < k) lowerEnds.Enqueue(row, lower);
                else if (lowerEnds.TryPeek(out _, out var worst) && lower > worst) lowerEnds.DequeueEnqueue(row, lower);
            }
            var reached = lowerEnds.Count < k || !lowerEnds.TryPeek(out _, out var kth) ? float.NegativeInfinity : kth;

            var heap = new PriorityQueue<int, float>(k + 1);
            var q = query.AsSpan();
            for (var row = start; row < end; row++)
            {
                if (allowed is not null && !allowed[documentOfRow[row]]) continue;
                if (estimates[row - start] + bounds[row - start] < reached) continue;
                var score = TensorPrimitives.Dot(q, matrix.AsSpan(row * dimension, dimension));
                if (heap.Count < k) heap.Enqueue(row, score);
                else if (heap.TryPeek(out _, out var worst) && score > worst) heap.DequeueEnqueue(row, score);
            }
            return heap;
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(estimates);
            System.Buffers.ArrayPool<float>.Shared.Return(bounds);
        }
    }

    private static void DeleteRows(KnowledgeTransaction transaction, string documentId)
    {
        using var delete = transaction.Command("delete from chunk_vectors where document_id = $d");
        delete.Parameters.AddWithValue("$d", documentId);
        delete.ExecuteNonQuery();
    }

    /// <summary>After commit: replace the document's rows in memory (nothing to do before the first load reads them).</summary>
    private void Apply(string documentId, IReadOnlyList<(string ChunkId, float[] Vector)> rows)
    {
        gate.EnterWriteLock();
        try
        {
            if (!loaded) return;
            if (documentOrdinals.TryGetValue(documentId, out var ordinal))
            {
                for (var row = count - 1; row >= 0; row--)
                    if (documentOfRow[row] == ordinal) RemoveRow(row);
            }
            foreach (var (chunkId, vector) in rows) AddRow(chunkId, documentId, vector);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private void EnsureLoaded()
    {
        if (Volatile.Read(ref loaded)) return;
        gate.EnterWriteLock();
        try
        {
            if (loaded) return;
            using var connection = database.Connect();
            if (dimension == 0 && Meta(connection, "embedding_dimension") is { } stored) dimension = int.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);
            using var countCommand = connection.CreateCommand();
            countCommand.CommandText = "select count(*) from chunk_vectors";
            var rows = (int)(long)countCommand.ExecuteScalar()!;
            Reserve(rows);
            using var read = connection.CreateCommand();
            read.CommandText = "select c.id, v.document_id, v.vector from chunk_vectors v join chunks c on c.rowid = v.chunk_rowid";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var vector = VectorMath.FromBlob((byte[])reader[2]);
                if (dimension == 0) dimension = vector.Length;
                AddRow(reader.GetString(0), reader.GetString(1), vector);
            }
            Volatile.Write(ref loaded, true);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private void AddRow(string chunkId, string documentId, float[] vector)
    {
        if (dimension == 0) dimension = vector.Length;
        if (vector.Length != dimension)
            throw new InvalidDataException($"{database.Path}: chunk {chunkId} has a {vector.Length}-dimensional vector in a {dimension}-dimensional index");
        if (rowOfChunk.ContainsKey(chunkId)) RemoveRow(rowOfChunk[chunkId]);
        Reserve(count + 1);
        if (!documentOrdinals.TryGetValue(documentId, out var ordinal)) documentOrdinals[documentId] = ordinal = documentOrdinals.Count;
        vector.CopyTo(matrix.AsSpan(count * dimension, dimension));
        quantized.Set(count, vector);
        chunkIds[count] = chunkId;
        documentOfRow[count] = ordinal;
        rowOfChunk[chunkId] = count;
        count++;
    }

    private void RemoveRow(int row)
    {
        var last = count - 1;
        rowOfChunk.Remove(chunkIds[row]);
        if (row != last)
        {
            matrix.AsSpan(last * dimension, dimension).CopyTo(matrix.AsSpan(row * dimension, dimension));
            quantized.Move(last, row);
            chunkIds[row] = chunkIds[last];
            documentOfRow[row] = documentOfRow[last];
            rowOfChunk[chunkIds[row]] = row;
        }
        chunkIds[last] = null!;
        count--;
    }

    private void Reserve(int rows)
    {
        if (rows > chunkIds.Length)
        {
            var capacity = Math.Max(rows, Math.Max(1024, chunkIds.Length * 2));
            Array.Resize(ref chunkIds, capacity);
            Array.Resize(ref documentOfRow, capacity);
        }
        if (dimension > 0 && matrix.Length < chunkIds.Length * dimension) Array.Resize(ref matrix, chunkIds.Length * dimension);
        if (dimension > 0) quantized.Reserve(chunkIds.Length, dimension);
    }

    private static string? Meta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "select value from index_meta where key = $k";
        command.Parameters.AddWithValue("$k", key);
        return command.ExecuteScalar() as string;
    }

    public void Dispose() => gate.Dispose();
}
