using System.Text.Json;
using ChatPlatform.Llm.IO;

namespace ChatPlatform.Llm.Tokenization;

/// <summary>
/// The parts of transformers' tokenizer_config.json the tokenizer honours: the bos/eos tokens,
/// add_bos_token/add_eos_token (which transformers' Llama tokenizers apply over tokenizer.json's
/// post-processor), <c>legacy</c> and the tokenizer class.
/// </summary>
internal sealed record TokenizerConfig(
    string? BosToken, string? EosToken, bool? AddBosToken, bool? AddEosToken, bool? Legacy, string? TokenizerClass)
{
    public static TokenizerConfig Parse(string json, string fileName) => JsonFields.Parse(json, fileName, root =>
        new TokenizerConfig(
            TokenContent(root, "bos_token"), TokenContent(root, "eos_token"),
            root.Bool("add_bos_token"), root.Bool("add_eos_token"), root.Bool("legacy"),
            root.String("tokenizer_class")));

    /// <summary>True for transformers' LlamaTokenizer family, the only one that reads <c>legacy</c>.</summary>
    public bool IsLlamaTokenizer => TokenizerClass is "LlamaTokenizer" or "LlamaTokenizerFast";

    // A token is written as "<s>" or as {"__type": "AddedToken", "content": "<s>", ...}.
    private static string? TokenContent(JsonFields root, string field)
    {
        if (!root.TryGet(field, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object => root.RequiredObject(field).RequiredString("content"),
            _ => throw root.WrongType(field, v, "a string or an object with \"content\""),
        };
    }
}
