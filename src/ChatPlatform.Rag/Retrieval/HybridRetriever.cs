using System.Numerics.Tensors;
using ChatPlatform.Rag.Indexing;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Retrieval;

/// <summary>
/// Retrieval over the knowledge store: BM25 (FTS5) and, with an embedding generator and a vector index, exact dense
/// search; the two rankings fused with <see cref="ReciprocalRankFusion"/>, optionally diversified with
/// <see cref="MaximalMarginalRelevance"/>, each hit returned with its citation and scores. Without an embedding
/// generator retrieval is BM25 only and the result says so (<see cref="RetrievalResult.DenseUsed"/>, <see cref="RetrievalResult.Note"/>).
/// </summary>
public sealed class HybridRetriever(KnowledgeStore store, IEmbeddingGenerator<string, Embedding<float>>? embedder = null) : IKnowledgeRetriever
{
    public const string Bm25OnlyNote = "BM25 only: no embedding model is configured, so dense retrieval is off";

    public bool DenseAvailable => embedder is not null && store.Vectors is not null;

    public async Task<RetrievalResult> RetrieveAsync(RetrievalQuery query, CancellationToken ct = default)
    {
        if (query.TopK <= 0) throw new ArgumentException("top-k must be positive");
        var allowed = store.ResolveFilter(query.Filter);
        var candidates = Math.Max(query.CandidatesPerMethod, query.TopK);
        var useBm25 = query.Mode != RetrievalMode.Dense;
        var useDense = query.Mode != RetrievalMode.Bm25 && DenseAvailable;
        var note = query.Mode != RetrievalMode.Bm25 && !DenseAvailable ? Bm25OnlyNote : null;
        if (query.Mode == RetrievalMode.Dense && !useDense) return new RetrievalResult([], false, note);

        // Both searches are independent: the dense one is CPU-bound SIMD, the BM25 one waits on SQLite; overlap them.
        var bm25Task = useBm25 ? Task.Run(() => store.SearchBm25(query.Text, candidates, allowed), ct) : Task.FromResult<IReadOnlyList<Bm25Hit>>([]);
        IReadOnlyList<VectorHit> dense = [];
        if (useDense)
        {
            var vector = await embedder!.GenerateVectorAsync(query.Text, EmbeddingPurpose.Query(), ct);
            dense = await store.Vectors!.SearchAsync(vector, candidates, allowed, ct);
        }
        var bm25 = await bm25Task;

        var fused = ReciprocalRankFusion.Fuse([bm25.Select(h => h.ChunkId).ToList(), dense.Select(h => h.ChunkId).ToList()]);
        var stored = LookUpLeading(fused, query.Diversify ? DiversityPool(query.TopK) : query.TopK);
        // Hits whose chunk is gone (deleted since the vector search, or never committed) are dropped here.
        var ranked = fused.Where(f => stored.ContainsKey(f.Id)).ToList();
        var bm25ById = bm25.Select((h, i) => (h, i)).ToDictionary(x => x.h.ChunkId, x => (x.h, Rank: x.i + 1));
        var denseById = dense.Select((h, i) => (h, i)).ToDictionary(x => x.h.ChunkId, x => (x.h, Rank: x.i + 1));

        var order = Enumerable.Range(0, ranked.Count).ToList();
        if (query.Diversify && ranked.Count > 1)
            order = (await DiversifyAsync(ranked, stored, query, useDense, ct)).ToList();

        var results = new List<RetrievedChunk>();
        foreach (var index in order.Take(query.TopK))
        {
            var (id, fusedScore) = ranked[index];
            var chunk = stored[id];
            var inBm25 = bm25ById.TryGetValue(id, out var b);
            var inDense = denseById.TryGetValue(id, out var d);
            // With a single method the hybrid score is that method's own score, so it stays meaningful to read.
            var hybrid = useBm25 && useDense ? fusedScore : useBm25 ? b.h.Score : d.h.Score;
            var snippet = PassageSnippet.For(chunk.Text, query.Text);
            var citation = new Citation(results.Count + 1, chunk.DocumentId, chunk.Title, chunk.Path, string.Join(" > ", chunk.HeadingPath),
                                        snippet, chunk.Id);
            results.Add(new RetrievedChunk(chunk, citation, inBm25 ? b.h.Score : null, inBm25 ? b.Rank : null,
                                           inDense ? d.h.Score : null, inDense ? d.Rank : null, hybrid));
        }
        return new RetrievalResult(results, useDense, note);
    }

    /// <summary>
    /// The stored chunks of the best-fused hits, only as many as the answer needs (reading all 2 × candidates rows with
    /// their text was a fifth of a hybrid query); a hit whose chunk is gone is replaced by the next one.
    /// </summary>
    private Dictionary<string, StoredChunk> LookUpLeading(IReadOnlyList<(string Id, double Score)> fused, int needed)
    {
        var stored = new Dictionary<string, StoredChunk>(StringComparer.Ordinal);
        for (var next = 0; next < fused.Count && stored.Count < needed;)
        {
            var batch = fused.Skip(next).Take(needed - stored.Count).Select(f => f.Id).ToList();
            next += batch.Count;
            foreach (var (id, chunk) in store.GetChunks(batch)) stored[id] = chunk;
        }
        return stored;
    }

    /// <summary>Re-rank a pool a few times larger than k: enough alternatives to choose from without scoring the whole tail.</summary>
    private static int DiversityPool(int topK) => Math.Max(topK * 4, 20);

    private async Task<IReadOnlyList<int>> DiversifyAsync(List<(string Id, double Score)> ranked, IReadOnlyDictionary<string, StoredChunk> stored,
                                                         RetrievalQuery query, bool useDense, CancellationToken ct)
    {
        var pool = ranked.Take(DiversityPool(query.TopK)).ToList();
        IReadOnlyDictionary<string, float[]> vectors = useDense
            ? await store.Vectors!.GetVectorsAsync(pool.Select(p => p.Id).ToList(), ct)
            : new Dictionary<string, float[]>();
        double Similarity(int i, int j) =>
            vectors.TryGetValue(pool[i].Id, out var a) && vectors.TryGetValue(pool[j].Id, out var b)
                ? TensorPrimitives.Dot(a, b)
                : MaximalMarginalRelevance.Jaccard(stored[pool[i].Id].Text, stored[pool[j].Id].Text);
        return MaximalMarginalRelevance.Select(pool.Select(p => p.Score).ToList(), Similarity, query.TopK, query.MmrLambda);
    }
}
