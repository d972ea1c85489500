using System.CommandLine;
using System.Globalization;
using ChatPlatform.Llm;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Rag.Prompting;
using ChatPlatform.Rag.Retrieval;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Cli;

/// <summary>
/// `chatplatform ask "question"`: the best passages from the knowledge base with citations and scores; with --model,
/// the local model's answer grounded on them through <see cref="RetrievalChatClient"/>, followed by its sources.
/// </summary>
internal static class AskCommand
{
    public static Command Create()
    {
        var question = new Argument<string>("question") { Description = "The question." };
        var knowledge = new KnowledgeOptions();
        var topK = new Option<int>("--top-k") { Description = "Passages to retrieve.", DefaultValueFactory = _ => 5 };
        var tags = new Option<string[]>("--tag") { Description = "Only documents with one of these tags (repeatable)." };
        var diversify = new Option<bool>("--diversify") { Description = "Re-rank with maximal marginal relevance (fewer near-duplicates)." };
        var system = new Option<string?>("--system") { Description = "System prompt for the answer (with --model)." };
        var model = new ModelOptions();
        model.Model.Required = false;
        model.Model.Description = "A local model folder: answer the question with it, grounded on the passages.";
        var command = new Command("ask", "Search the knowledge base; with --model, answer from it with citations.")
        {
            question, topK, tags, diversify, system,
        };
        knowledge.AddTo(command);
        model.AddTo(command);
        command.SetAction(async (pr, ct) =>
        {
            using var session = await knowledge.OpenAsync(pr, ct);
            var retriever = new HybridRetriever(session.Store, session.Embedder);
            var filter = pr.GetValue(tags) is { Length: > 0 } t ? new RetrievalFilter { Tags = t } : null;
            if (pr.GetValue(model.Model) is null)
            {
                var result = await retriever.RetrieveAsync(new RetrievalQuery(pr.GetValue(question)!)
                {
                    TopK = pr.GetValue(topK),
                    Filter = filter,
                    Diversify = pr.GetValue(diversify),
                }, ct);
                PrintPassages(result);
                return result.Chunks.Count > 0 ? 0 : 1;
            }
            return await Answer(pr, model, retriever, new RetrievalChatOptions
            {
                TopK = pr.GetValue(topK),
                Filter = filter,
                Diversify = pr.GetValue(diversify),
            }, pr.GetValue(question)!, pr.GetValue(system), ct);
        });
        return command;
    }

    private static async Task<int> Answer(ParseResult pr, ModelOptions model, HybridRetriever retriever, RetrievalChatOptions options,
                                          string question, string? system, CancellationToken ct)
    {
        EngineStartup.CheckBlas();
        using var local = model.Load(pr);
        if (local.TemplateWarning is { } warning) Console.Error.WriteLine($"warning: {warning}");
        using var inner = new LocalChatClient(local);
        var reserve = pr.GetValue(model.MaxNewTokens) ?? Math.Min(local.DefaultMaxNewTokens, local.ContextLength / 4);
        var prompts = new GroundedPromptBuilder(new ModelTokenCounter(local.Tokenizer, local.Name),
                                                new PromptBudget { ContextWindow = local.ContextLength, AnswerReserve = reserve });
        using var client = new RetrievalChatClient(inner, retriever, prompts, options);
        var chatOptions = model.ChatOptions(pr, reserve);
        var messages = new List<ChatMessage>();
        if (system is not null) messages.Add(new ChatMessage(ChatRole.System, system));
        messages.Add(new ChatMessage(ChatRole.User, question));
        IReadOnlyList<Citation> citations = [];
        RetrievalChatClient.RetrievalInfo? info = null;
        await foreach (var update in client.GetStreamingResponseAsync(messages, chatOptions, ct))
        {
            if (update.AdditionalProperties?.TryGetValue(RetrievalChatClient.CitationsKey, out var c) == true) citations = (IReadOnlyList<Citation>)c!;
            if (update.AdditionalProperties?.TryGetValue(RetrievalChatClient.RetrievalKey, out var i) == true) info = (RetrievalChatClient.RetrievalInfo)i!;
            Console.Write(update.Text);
        }
        Console.WriteLine();
        Console.WriteLine();
        Console.WriteLine(citations.Count == 0 ? "Sources: none found" : "Sources:");
        foreach (var citation in citations) Console.WriteLine($"  [{citation.Number}] {Label(citation)}  ({citation.Path})");
        if (info?.Note is { } note) Console.Error.WriteLine($"note: {note}");
        return 0;
    }

    private static void PrintPassages(RetrievalResult result)
    {
        if (result.Note is { } note) Console.Error.WriteLine($"note: {note}");
        if (result.Chunks.Count == 0)
        {
            Console.WriteLine("no matching passages");
            return;
        }
        foreach (var hit in result.Chunks)
        {
            var c = hit.Citation;
            Console.WriteLine($"[{c.Number}] {Label(c)}");
            Console.WriteLine($"    {c.Path}");
            Console.WriteLine($"    scores: hybrid {F(hit.HybridScore)}  bm25 {F(hit.Bm25Score)}{Rank(hit.Bm25Rank)}  dense {F(hit.DenseScore)}{Rank(hit.DenseRank)}");
            Console.WriteLine($"    {c.Snippet.Replace('\n', ' ')}");
        }
    }

    /// <summary>"Title > Section"; a top heading that repeats the title (a Markdown H1) is shown once.</summary>
    private static string Label(Citation c)
    {
        var path = c.HeadingPath == c.Title ? "" : c.HeadingPath.StartsWith(c.Title + " > ", StringComparison.Ordinal) ? c.HeadingPath[(c.Title.Length + 3)..] : c.HeadingPath;
        return path.Length > 0 ? $"{c.Title} > {path}" : c.Title;
    }

    private static string F(double? value) => value is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string Rank(int? rank) => rank is { } r ? $" (#{r})" : "";
}
