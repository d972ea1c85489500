using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Retrieval;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Prompting;

/// <summary>The messages to send, the sources they include (numbered as cited) and what had to give way.</summary>
public sealed record GroundedPrompt(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<RetrievedChunk> Sources, int PromptTokens,
                                    int DroppedSources, bool LastSourceTrimmed, int DroppedHistoryMessages);

/// <summary>
/// Assembles a grounded prompt inside the model's context window, counted in the model's tokens:
/// <list type="number">
/// <item>the system prompt first, followed by the fenced reference material (one system message, since many chat
/// templates accept a system message only at the start);</item>
/// <item>retrieved passages, most relevant first, until their budget is spent; the last one that does not fit is
/// trimmed when a useful part fits, the rest are dropped;</item>
/// <item>conversation history, newest kept, oldest turns dropped first;</item>
/// <item>the current user message, always;</item>
/// <item><see cref="PromptBudget.AnswerReserve"/> tokens left free for the answer.</item>
/// </list>
/// </summary>
public sealed class GroundedPromptBuilder
{
    private readonly ITokenCounter counter;
    private readonly PromptBudget budget;

    public GroundedPromptBuilder(ITokenCounter counter, PromptBudget budget)
    {
        budget.Validate();
        this.counter = counter;
        this.budget = budget;
    }

    public PromptBudget Budget => budget;

    /// <param name="conversation">The conversation without system messages; the last message is the current user turn.</param>
    public GroundedPrompt Build(string systemPrompt, IReadOnlyList<ChatMessage> conversation, IReadOnlyList<RetrievedChunk> sources)
    {
        if (conversation.Count == 0) throw new ArgumentException("a grounded prompt needs at least the user's message");
        var question = conversation[^1];
        var history = conversation.Take(conversation.Count - 1).ToList();
        var available = budget.ContextWindow - budget.AnswerReserve;
        var header = systemPrompt.Length > 0 ? systemPrompt + "\n\n" + SourceFence.Preamble : SourceFence.Preamble;
        var used = Count(header) + Count(question.Text) + 2 * budget.PerMessageOverhead;
        if (used > available)
            throw new InvalidOperationException(
                $"the system prompt and the question take {used} tokens; the context window leaves {available} after the answer reserve");

        var remaining = available - used;
        var sourceBudget = history.Count == 0 ? remaining : (int)(remaining * budget.MaxSourceShare);
        var included = new List<RetrievedChunk>();
        var fenced = new List<string>();
        var trimmed = false;
        foreach (var source in sources)
        {
            var number = included.Count + 1;
            var text = SourceFence.Wrap(number, source, source.Chunk.Text);
            var tokens = Count(text) + 2;  // the blank line between sources
            if (tokens > sourceBudget)
            {
                var part = Trim(number, source, sourceBudget - 2);
                if (part is not null)
                {
                    fenced.Add(part);
                    included.Add(source);
                    sourceBudget -= Count(part) + 2;
                    used += Count(part) + 2;
                    trimmed = true;
                }
                break;
            }
            fenced.Add(text);
            included.Add(source);
            sourceBudget -= tokens;
            used += tokens;
        }
        var system = header + "\n\n" + (fenced.Count > 0 ? string.Join("\n\n", fenced) : SourceFence.NoSources);
        if (fenced.Count == 0) used += Count(SourceFence.NoSources) + 2;

        var kept = new List<ChatMessage>();
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var tokens = Count(history[i].Text) + budget.PerMessageOverhead;
            if (used + tokens > available) break;
            kept.Insert(0, history[i]);
            used += tokens;
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, system) };
        messages.AddRange(kept);
        messages.Add(question);
        // The running total above may overcount slightly (separators counted on their own); report the exact figure.
        var exact = messages.Sum(m => Count(m.Text) + budget.PerMessageOverhead);
        return new GroundedPrompt(messages, included, exact, sources.Count - included.Count, trimmed, history.Count - kept.Count);
    }

    /// <summary>The longest prefix of the passage (cut at a word, marked with …) whose fence fits the budget; null when too little fits.</summary>
    private string? Trim(int number, RetrievedChunk source, int tokens)
    {
        if (tokens < budget.MinTrimmedSourceTokens) return null;
        var text = source.Chunk.Text;
        int low = 0, high = text.Length;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Count(SourceFence.Wrap(number, source, Cut(text, mid))) <= tokens) low = mid;
            else high = mid - 1;
        }
        var cut = Cut(text, low);
        return Count(cut) < budget.MinTrimmedSourceTokens / 2 ? null : SourceFence.Wrap(number, source, cut);
    }

    private static string Cut(string text, int length)
    {
        if (length >= text.Length) return text;
        var space = text.LastIndexOf(' ', Math.Max(0, length - 1));
        return (space > length / 2 ? text[..space] : text[..length]) + " …";
    }

    private int Count(string text) => counter.CountTokens(text);
}
