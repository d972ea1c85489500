using ChatPlatform.Llm;
using ChatPlatform.Rag.Prompting;

namespace ChatPlatform.Web.Widget;

/// <summary>The grounded prompt's budget for a loaded model: its context window, counted in its own tokens, a quarter at most for the answer.</summary>
internal static class GroundedPrompts
{
    public static GroundedPromptBuilder For(LocalModel model, int maxAnswerTokens) =>
        new(new LocalModelTokenCounter(model.Tokenizer, model.Name),
            new PromptBudget { ContextWindow = model.ContextLength, AnswerReserve = Math.Min(maxAnswerTokens, model.ContextLength / 4) });
}
