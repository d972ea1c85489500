using System.CommandLine;
using System.Diagnostics;
using System.Text;
using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Ingestion;
using ChatPlatform.Rag.Retrieval;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// `chatplatform bench rag`: the embedded knowledge index at scale. Writes N synthetic chunks (Zipf-distributed words
/// from a 20k-word vocabulary, ~100 words each, random unit vectors) in documents of 100 chunks through the same
/// atomic per-document path as real uploads, then measures query latency of BM25 (FTS5), exact dense search and
/// hybrid retrieval (both + RRF + chunk lookup), and the process's resident memory with the vectors loaded.
/// Query embedding time is excluded: query vectors are precomputed, so the figures are the index's own cost.
/// </summary>
internal static class RagBench
{
    private const int ChunksPerDocument = 100;
    private const int WordsPerChunk = 100;
    private const int Vocabulary = 20_000;

    public static Command Create()
    {
        var chunks = new Option<int>("--chunks") { Description = "Synthetic chunks to index.", DefaultValueFactory = _ => 100_000 };
        var dimension = new Option<int>("--dim") { Description = "Vector dimension.", DefaultValueFactory = _ => 384 };
        var queries = new Option<int>("--queries") { Description = "Queries per method.", DefaultValueFactory = _ => 200 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the figures." };
        var command = new Command("rag", "Embedded knowledge index: indexing chunks/s, BM25/dense/hybrid query latency, resident memory.")
        {
            chunks, dimension, queries, json,
        };
        command.SetAction((pr, ct) => Run(pr.GetValue(chunks), pr.GetValue(dimension), pr.GetValue(queries), pr.GetValue(json), ct));
        return command;
    }

    private static async Task<int> Run(int chunkCount, int dimension, int queryCount, bool json, CancellationToken ct)
    {
        if (chunkCount < ChunksPerDocument || dimension < 2 || queryCount < 1)
            throw new ArgumentException($"bench rag: --chunks must be at least {ChunksPerDocument}, --dim at least 2, --queries at least 1");
        var folder = Directory.CreateTempSubdirectory("chatplatform-bench-rag-").FullName;
        try
        {
            var random = new Random(1234);
            var words = Enumerable.Range(0, Vocabulary).Select(_ => RandomWord(random)).ToArray();
            var zipf = ZipfCumulative(Vocabulary);
            var database = KnowledgeDatabase.Open(Path.Combine(folder, KnowledgeDatabase.FileName));
            using var vectors = new EmbeddedVectorIndex(database);
            await vectors.InitializeAsync(dimension, "synthetic", ct);
            var store = new KnowledgeStore(database, vectors);

            var documents = chunkCount / ChunksPerDocument;
            var indexing = Stopwatch.StartNew();
            for (var d = 0; d < documents; d++)
            {
                if (!json && d % Math.Max(1, documents / 10) == 0) Console.Error.Write($"\rindexing {d * ChunksPerDocument:N0}/{chunkCount:N0} chunks");
                var id = $"doc-{d}";
                var chunks = new List<Chunk>(ChunksPerDocument);
                var embeddings = new List<float[]>(ChunksPerDocument);
                for (var i = 0; i < ChunksPerDocument; i++)
                {
                    var text = Sentence(random, words, zipf, WordsPerChunk);
                    chunks.Add(new Chunk(Chunk.MakeId(id, i, text), id, i, [$"Section {i / 10}"], text, WordsPerChunk));
                    embeddings.Add(RandomVector(random, dimension));
                }
                await store.ReplaceDocumentAsync(new KnowledgeDocument(id, $"Document {d}", $"/synthetic/{id}.md", DocumentKind.Markdown, [],
                                                                       "synthetic", chunks.Count, 0, DateTime.UtcNow), chunks, embeddings, ct);
            }
            var indexed = documents * ChunksPerDocument;
            var indexSeconds = indexing.Elapsed.TotalSeconds;
            if (!json) Console.Error.WriteLine($"\rindexed {indexed:N0} chunks in {indexSeconds:F1} s          ");

            var load = Stopwatch.StartNew();
            _ = vectors.Count;  // the lazy load: every vector from SQLite into the in-memory matrix
            var loadSeconds = load.Elapsed.TotalSeconds;

            // Queries: 3 content words, Zipf-weighted but skipping the 50 most frequent words, which in real text are the
            // stop words FtsQuery drops (the synthetic vocabulary has no stop list of its own).
            var queryTexts = Enumerable.Range(0, queryCount).Select(_ => string.Join(' ', Enumerable.Range(0, 3).Select(_ => words[ContentWordIndex(random, zipf)]))).ToArray();
            var queryVectors = Enumerable.Range(0, queryCount).Select(_ => RandomVector(random, dimension)).ToArray();
            var embedder = new PrecomputedQueryEmbeddings(queryTexts, queryVectors);
            var retriever = new HybridRetriever(store, embedder);

            var bm25 = Latencies(queryCount, i => store.SearchBm25(queryTexts[i], 50));
            var dense = Latencies(queryCount, i => vectors.Search(queryVectors[i], 50));
            var hybrid = Latencies(queryCount, i => retriever.RetrieveAsync(new RetrievalQuery(queryTexts[i]) { TopK = 10 }, ct).GetAwaiter().GetResult());

            GC.Collect();
            var resident = ProcessMemory.ResidentBytes;
            var report = new BenchReport($"bench rag: {indexed:N0} chunks, {dimension}-dim vectors, {queryCount} queries per method")
                .Add("chunks", "chunks", indexed)
                .Add("dimension", "vector dimension", dimension)
                .Add("index_chunks_per_s", "indexing", indexed / indexSeconds, "chunks/s")
                .Add("vector_load_s", "vector load (lazy, once)", loadSeconds, "s")
                .Add("bm25_p50_ms", "BM25 p50", bm25.P50, "ms")
                .Add("bm25_p95_ms", "BM25 p95", bm25.P95, "ms")
                .Add("dense_p50_ms", "dense exact p50", dense.P50, "ms")
                .Add("dense_p95_ms", "dense exact p95", dense.P95, "ms")
                .Add("hybrid_p50_ms", "hybrid p50", hybrid.P50, "ms")
                .Add("hybrid_p95_ms", "hybrid p95", hybrid.P95, "ms")
                .Add("vector_matrix_mb", "vector matrix", indexed * (double)dimension * sizeof(float) / 1e6, "MB")
                .Add("resident_mb", "resident memory", resident / 1e6, "MB")
                .Add("database_mb", "knowledge.db on disk", DatabaseBytes(folder) / 1e6, "MB")
                .Note("candidates per method 50; hybrid = BM25 + dense + RRF + chunk lookup, top 10; query embedding time excluded")
                .Note($"load average at the end: {LoadAverage()} on {Environment.ProcessorCount} cores (latencies scale with it on a shared machine)");
            report.Print(json);
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (double P50, double P95) Latencies(int count, Action<int> query)
    {
        for (var i = 0; i < Math.Min(5, count); i++) query(i);  // warm-up: JIT, SQLite page cache
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            query(i);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return (Percentile(times, 0.50), Percentile(times, 0.95));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static long DatabaseBytes(string folder) =>
        Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f).StartsWith(KnowledgeDatabase.FileName, StringComparison.Ordinal))
                 .Sum(f => new FileInfo(f).Length);

    private static string RandomWord(Random random)
    {
        var length = random.Next(3, 10);
        var word = new char[length];
        for (var i = 0; i < length; i++) word[i] = (char)('a' + random.Next(26));
        return new string(word);
    }

    /// <summary>Cumulative Zipf (s = 1) weights: word frequencies in text follow it closely.</summary>
    private static double[] ZipfCumulative(int n)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++) cumulative[i] = sum += 1.0 / (i + 1);
        for (var i = 0; i < n; i++) cumulative[i] /= sum;
        return cumulative;
    }

    private static string Sentence(Random random, string[] words, double[] zipf, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(words[ZipfIndex(random, zipf)]);
        }
        return text.ToString();
    }

    private static int ZipfIndex(Random random, double[] zipf)
    {
        var index = Array.BinarySearch(zipf, random.NextDouble());
        return Math.Min(zipf.Length - 1, index < 0 ? ~index : index);
    }

    private static int ContentWordIndex(Random random, double[] zipf)
    {
        int index;
        do index = ZipfIndex(random, zipf);
        while (index < 50);
        return index;
    }

    private static float[] RandomVector(Random random, int dimension)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++) vector[i] = (float)(random.NextDouble() * 2 - 1);
        return vector;
    }

    /// <summary>Returns the vector prepared for each benchmark query, so hybrid latency excludes any model's embedding time.</summary>
    private sealed class PrecomputedQueryEmbeddings(string[] texts, float[][] vectors) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly Dictionary<string, float[]> byText = texts.Zip(vectors).GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.First().Second);

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
                                                                         CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(byText[v]))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
