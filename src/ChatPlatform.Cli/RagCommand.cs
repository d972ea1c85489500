using System.CommandLine;
using System.Globalization;
using ChatPlatform.Rag.Evaluation;
using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform rag eval --data FILE`: recall@k and MRR of each retrieval mode over a JSONL question set.</summary>
internal static class RagCommand
{
    public static Command Create()
    {
        var rag = new Command("rag", "Retrieval tools.");
        rag.Subcommands.Add(Eval());
        return rag;
    }

    private static Command Eval()
    {
        var data = new Option<string>("--data")
        {
            Description = "JSONL: {\"question\": ..., \"document\": id or path} or {\"question\": ..., \"chunk_id\": ...} per line.",
            Required = true,
        };
        var knowledge = new KnowledgeOptions();
        var topK = new Option<int>("--top-k") { Description = "k of recall@k (MRR counts ranks up to k).", DefaultValueFactory = _ => 5 };
        var command = new Command("eval", "Recall@k and MRR for BM25, dense and hybrid retrieval, side by side.") { data, topK };
        knowledge.AddTo(command);
        command.SetAction(async (pr, ct) =>
        {
            var questions = RetrievalEvaluation.Load(pr.GetValue(data)!);
            using var session = await knowledge.OpenAsync(pr, ct);
            var retriever = new HybridRetriever(session.Store, session.Embedder);
            var k = pr.GetValue(topK);
            var modes = retriever.DenseAvailable ? new[] { RetrievalMode.Bm25, RetrievalMode.Dense, RetrievalMode.Hybrid } : [RetrievalMode.Bm25];
            Console.WriteLine($"{questions.Count} questions, k = {k}, {session.Describe()}");
            Console.WriteLine($"  {"mode",-8} {"recall@" + k,10} {"MRR",8}");
            foreach (var mode in modes)
            {
                var scores = await RetrievalEvaluation.ScoreAsync(retriever, questions, mode, k, ct);
                Console.WriteLine($"  {mode.ToString().ToLowerInvariant(),-8} {scores.RecallAtK.ToString("0.000", CultureInfo.InvariantCulture),10} " +
                                  $"{scores.MeanReciprocalRank.ToString("0.000", CultureInfo.InvariantCulture),8}");
            }
            if (!retriever.DenseAvailable)
                Console.WriteLine("  dense and hybrid: not measured without --embedding-model (hybrid = BM25 without one)");
            return 0;
        });
        return command;
    }
}
