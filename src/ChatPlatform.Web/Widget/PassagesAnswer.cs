using System.Text;
using ChatPlatform.Rag.Retrieval;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// The answer when no language model is served (a first run before any model is configured): a notice saying so, then
/// the best retrieved passages, each with its [n] and title, cited like a model's answer would be.
/// </summary>
public static class PassagesAnswer
{
    public const string Notice =
        "No language model is configured on this server yet, so this is not a written answer: here are the passages from the knowledge base that match your question best.";

    public const string NothingFound =
        "No language model is configured on this server yet, and no passage in the knowledge base matches your question.";

    /// <summary>Characters of each passage quoted in the answer; the cited source carries the rest.</summary>
    private const int PassageChars = 500;

    public static async Task<(string Text, IReadOnlyList<Citation> Citations)> BuildAsync(IKnowledgeRetriever retriever, string question, int topK,
        CancellationToken ct)
    {
        var retrieved = await retriever.RetrieveAsync(new RetrievalQuery(question) { TopK = topK }, ct);
        if (retrieved.Chunks.Count == 0) return (NothingFound, []);
        var text = new StringBuilder(Notice);
        var citations = new List<Citation>();
        foreach (var chunk in retrieved.Chunks)
        {
            var citation = chunk.Citation with { Number = citations.Count + 1 };
            citations.Add(citation);
            var heading = citation.HeadingPath.Length > 0 && citation.HeadingPath != citation.Title ? citation.HeadingPath : citation.Title;
            text.Append($"\n\n[{citation.Number}] {heading}\n{Excerpt(chunk.Chunk.Text)}");
        }
        return (text.ToString(), citations);
    }

    private static string Excerpt(string passage)
    {
        var text = passage.Trim();
        if (text.Length <= PassageChars) return text;
        var space = text.LastIndexOf(' ', PassageChars);
        return text[..(space > PassageChars / 2 ? space : PassageChars)] + " …";
    }
}
