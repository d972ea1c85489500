using System.Text.Json;
using ChatPlatform.Llm.Tokenization;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>
/// The stories260K model in ../shared against llama2.c run.c's own encoder (tokenizer_cases.json, ids with
/// BOS 1): a second, non-Hugging-Face reference for SentencePiece BPE with byte fallback.
/// </summary>
public sealed class SharedStoriesTokenizerTests
{
    private static string ModelDir => Path.Combine(TestPaths.SharedDir, "models", SharedModels.Stories260K);

    [Fact]
    public void Encode_EqualsLlama2cRunC()
    {
        if (!File.Exists(Path.Combine(ModelDir, "tokenizer_cases.json"))) Assert.Skip($"{ModelDir} is not present (the shared folder sits next to the repository root)");
        var tok = HfTokenizer.FromDirectory(ModelDir);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelDir, "tokenizer_cases.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases.Count >= 10);
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            Assert.True(expected.SequenceEqual(tok.Encode(text)), $"{ReferenceData.Show(text)}: expected {ReferenceData.Show(expected)} got {ReferenceData.Show(tok.Encode(text))}");
            Assert.Equal(text, tok.Decode(expected, skipSpecialTokens: true));
        }
        Assert.Equal(1, tok.BosTokenId);
        Assert.Equal(2, tok.EosTokenId);
        Assert.Equal(512, tok.VocabSize);
    }

    [Fact]
    public void ReferenceText_DecodesFromGeneratedIds()
    {
        // reference.json's text is decode(prompt_ids + generated_ids, skip_special_tokens=true).
        var path = Path.Combine(ModelDir, "reference.json");
        if (!File.Exists(path)) Assert.Skip($"{path} is not present (the shared folder sits next to the repository root)");
        var tok = HfTokenizer.FromDirectory(ModelDir);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var ids = c.GetProperty("prompt_ids").EnumerateArray().Concat(c.GetProperty("generated_ids").EnumerateArray()).Select(x => x.GetInt32()).ToArray();
            var expected = c.GetProperty("text").GetString()!;
            Assert.Equal(expected, tok.Decode(ids, skipSpecialTokens: true));
            var stream = tok.CreateStreamingDecoder();
            Assert.Equal(expected, string.Concat(ids.Select(stream.Push)) + stream.Flush());
        }
    }
}
