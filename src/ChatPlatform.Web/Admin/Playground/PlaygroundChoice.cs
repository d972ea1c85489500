using ChatPlatform.Rag.Retrieval;
using ChatPlatform.Web.Serving;

namespace ChatPlatform.Web.Admin.Playground;

/// <summary>What a playground side can ask: a registered version, a bare base model, or no model (<see cref="Spec"/> null: passages only).</summary>
public sealed record PlaygroundChoice(string Key, string Label, ModelSpec? Spec);

/// <summary>
/// How the prompt shares the model's context window, in the model's tokens: the system prompt, the fenced passages
/// (with their preamble), earlier turns, the question (each with the template's per-message overhead), and what is left
/// free for the answer.
/// </summary>
public sealed record PromptBreakdown(int ContextWindow, int SystemTokens, int PassageTokens, int HistoryTokens, int QuestionTokens,
    int AnswerReserve)
{
    public int PromptTokens => SystemTokens + PassageTokens + HistoryTokens + QuestionTokens;
    public int Unused => ContextWindow - PromptTokens - AnswerReserve;
}

/// <summary>
/// One step of a playground answer: first the model that answers with its sources and budget (<see cref="Budget"/> null
/// without a model), then pieces of <see cref="Text"/>.
/// </summary>
public sealed record PlaygroundUpdate(string? Model = null, IReadOnlyList<Citation>? Sources = null, PromptBreakdown? Budget = null,
    string Text = "");
