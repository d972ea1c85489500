namespace ChatPlatform.Web.OpenAi;

// OpenAI's response shapes for /v1/chat/completions (serialized with OpenAiJson: snake_case, nulls left out).

/// <param name="PromptTokensDetails">cached_tokens: prompt tokens the server's prompt cache supplied (as OpenAI reports its own).</param>
public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens, PromptTokensDetails? PromptTokensDetails = null);

public sealed record PromptTokensDetails(int CachedTokens);

public sealed record ChatCompletionMessage(string Role, string Content);

public sealed record ChatCompletionChoice(int Index, ChatCompletionMessage Message, string FinishReason);

/// <param name="Citations">With retrieval only: the sources the answer may cite as [n] (an extension field; OpenAI clients ignore it).</param>
public sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatCompletionChoice> Choices, Usage Usage,
    IReadOnlyList<CompletionCitation>? Citations = null)
{
    public string Object => "chat.completion";
}

public sealed record ChatCompletionDelta(string? Role = null, string? Content = null);

public sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, string? FinishReason = null);

public sealed record ChatCompletionChunk(string Id, long Created, string Model, IReadOnlyList<ChatCompletionChunkChoice> Choices, Usage? Usage = null,
    IReadOnlyList<CompletionCitation>? Citations = null)
{
    public string Object => "chat.completion.chunk";
}

/// <summary>
/// One source of a retrieval-grounded answer: its number as the prompt labels it ([1], [2]), the document's title, the
/// section (heading path without the title), a link when the document came from a URL, the file name otherwise, the
/// passage's snippet, and the knowledge base's document and chunk ids.
/// </summary>
public sealed record CompletionCitation(int Number, string Title, string? Section, string? Link, string Path, string Snippet, string DocumentId,
    string ChunkId)
{
    public static CompletionCitation Of(Rag.Retrieval.Citation c)
    {
        var shown = Widget.WidgetSource.Of(c);  // the widget's presentation of the same source: one rule for sections and links
        return new CompletionCitation(c.Number, shown.Title, shown.Section, shown.Link, shown.Path, shown.Snippet, c.DocumentId, c.ChunkId);
    }

    /// <summary>The citations an update or response carries (RetrievalChatClient's "citations" property), else null.</summary>
    public static IReadOnlyList<CompletionCitation>? From(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(Rag.Prompting.RetrievalChatClient.CitationsKey, out var v) == true && v is IReadOnlyList<Rag.Retrieval.Citation> cited
            ? cited.Select(Of).ToList()
            : null;
}
