using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Rag.Chunking;

namespace ChatPlatform.Web.Serving;

/// <summary>The served model's tokenizer as Rag's token counter, so the grounded prompt is budgeted in the model's own tokens.</summary>
internal sealed class LocalModelTokenCounter(HfTokenizer tokenizer, string name) : ITokenCounter
{
    public string Name { get; } = $"hf:{name}";

    public int CountTokens(string text) => tokenizer.CountTokens(text);
}
