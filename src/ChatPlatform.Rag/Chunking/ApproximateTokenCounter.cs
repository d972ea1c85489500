namespace ChatPlatform.Rag.Chunking;

/// <summary>
/// The fallback counter when no model is configured: one token per 4 letters or digits of a word (rounded up) and
/// one per punctuation or symbol character. English BPE vocabularies (GPT-2, Llama 3, Qwen) average about 4
/// characters per token on prose, and short words are single tokens, so this is close and errs towards counting
/// too many, which keeps chunks and prompts inside their budgets when the real tokenizer is swapped in.
/// </summary>
public sealed class ApproximateTokenCounter : ITokenCounter
{
    public static ApproximateTokenCounter Instance { get; } = new();

    public string Name => "approx-4chars";

    public int CountTokens(string text)
    {
        var tokens = 0;
        var run = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                run++;
                continue;
            }
            tokens += (run + 3) / 4;
            run = 0;
            if (!char.IsWhiteSpace(c)) tokens++;
        }
        return tokens + (run + 3) / 4;
    }
}
