using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Rag.Chunking;

namespace ChatPlatform.Cli;

/// <summary>The model's own tokenizer as Rag's token counter (Rag does not reference the model runtime).</summary>
internal sealed class ModelTokenCounter(HfTokenizer tokenizer, string name) : ITokenCounter
{
    public string Name { get; } = $"hf:{name}";

    public int CountTokens(string text) => tokenizer.CountTokens(text);

    /// <summary>The tokenizer of a model folder (tokenizer.json only; the weights are not loaded).</summary>
    public static ModelTokenCounter FromModelDirectory(string directory) =>
        new(HfTokenizer.FromDirectory(directory), Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')));
}
