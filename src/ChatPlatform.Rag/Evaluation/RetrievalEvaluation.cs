using System.Text.Json;
using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Rag.Evaluation;

/// <summary>
/// One evaluation question: the passage that answers it is identified by <see cref="ChunkId"/>, or any chunk of
/// <see cref="Document"/> (a document id, a path, or a path suffix such as "docs/router.md") counts; with
/// <see cref="Heading"/>, only a chunk of that document whose heading path includes that heading counts.
/// </summary>
public sealed record EvalQuestion(int Line, string Question, string? Document, string? ChunkId, string? Heading = null);

/// <summary>Recall@k (share of questions with a relevant passage in the top k) and MRR (mean of 1/rank of the first one, 0 beyond k).</summary>
public sealed record EvalScores(RetrievalMode Mode, int Questions, int K, double RecallAtK, double MeanReciprocalRank);

/// <summary>Retrieval quality over a JSONL question set, per retrieval mode, for comparing BM25, dense and hybrid.</summary>
public static class RetrievalEvaluation
{
    /// <summary>
    /// Reads JSONL lines {"question": "...", "document": "id or path", "heading": "..."} or {"question": "...", "chunk_id": "..."}
    /// ("document_id", "path" and "expected_document" are accepted for "document", "expected_heading" for the optional
    /// "heading"); a bad line is an error naming file, line and field.
    /// </summary>
    public static IReadOnlyList<EvalQuestion> Load(string path)
    {
        var questions = new List<EvalQuestion>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0) continue;
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: not JSON ({e.Message})");
            }
            string? Text(params string[] names)
            {
                foreach (var name in names)
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                        && v.GetString()!.Trim().Length > 0)
                        return v.GetString()!.Trim();
                return null;
            }
            var question = Text("question") ?? throw new InvalidDataException($"{path}:{number}: question: missing or empty");
            var document = Text("document", "document_id", "path", "expected_document");
            var chunk = Text("chunk_id", "chunk");
            var heading = Text("heading", "expected_heading");
            if (document is null && chunk is null)
                throw new InvalidDataException($"{path}:{number}: document: give the expected \"document\" (id or path) or \"chunk_id\"");
            if (heading is not null && document is null)
                throw new InvalidDataException($"{path}:{number}: heading: needs the \"document\" it is in");
            questions.Add(new EvalQuestion(number, question, document, chunk, heading));
        }
        if (questions.Count == 0) throw new InvalidDataException($"{path}: no questions");
        return questions;
    }

    public static async Task<EvalScores> ScoreAsync(IKnowledgeRetriever retriever, IReadOnlyList<EvalQuestion> questions, RetrievalMode mode, int k,
                                                    CancellationToken ct = default)
    {
        double hits = 0, reciprocal = 0;
        foreach (var question in questions)
        {
            var result = await retriever.RetrieveAsync(new RetrievalQuery(question.Question) { TopK = k, Mode = mode }, ct);
            var rank = result.Chunks.Select((c, i) => (c, i)).FirstOrDefault(x => IsRelevant(question, x.c)) is { c: not null } found
                ? found.i + 1
                : 0;
            if (rank > 0)
            {
                hits++;
                reciprocal += 1.0 / rank;
            }
        }
        return new EvalScores(mode, questions.Count, k, hits / questions.Count, reciprocal / questions.Count);
    }

    public static bool IsRelevant(EvalQuestion question, RetrievedChunk chunk)
    {
        if (question.ChunkId is not null) return chunk.Chunk.Id == question.ChunkId;
        if (question.Heading is { } heading && !chunk.Chunk.HeadingPath.Contains(heading, StringComparer.OrdinalIgnoreCase)) return false;
        var expected = question.Document!;
        if (chunk.Chunk.DocumentId == expected) return true;
        var path = chunk.Chunk.Path.Replace('\\', '/');
        var suffix = expected.Replace('\\', '/').TrimStart('.', '/');
        return path == expected || path.EndsWith("/" + suffix, StringComparison.Ordinal);
    }
}
