using static ChatPlatform.Llm.Tests.Tokenization.ReferenceData;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>Decode(Encode(text)) gives the text back where the pipeline is lossless.</summary>
public sealed class DecodeRoundTripTests
{
    [Theory]
    [InlineData("llama3_1")]
    [InlineData("gpt2")]
    public void ByteLevelWithoutNormalizer_RoundTripsEveryInput(string folder) =>
        HfTokenizerReferenceTests.AssertAll(folder, (tok, c) =>
        {
            var back = tok.Decode(tok.Encode(c.Text, addSpecialTokens: false));
            return back == c.Text ? null : $"round trip gave {Show(back)}";
        });

    [Theory]
    [InlineData("mistral")]
    [InlineData("stories260K")]
    public void SentencePiece_RoundTripsTextWithoutLookalikes(string folder) =>
        HfTokenizerReferenceTests.AssertAll(folder, (tok, c) =>
        {
            // Special-token lookalikes become special tokens and are dropped by skipSpecialTokens; a literal
            // "▁" is SentencePiece's space and comes back as one.
            if (c.Text.Contains("<s>") || c.Text.Contains("</s>") || c.Text.Contains("<unk>") || c.Text.Contains('▁')) return null;
            var back = tok.Decode(tok.Encode(c.Text), skipSpecialTokens: true);
            return back == c.Text ? null : $"round trip gave {Show(back)}";
        });

    [Fact]
    public void Qwen3_RoundTripsToTheNfcForm()
    {
        var tok = Tokenizer("qwen3");
        Assert.Equal("café", tok.Decode(tok.Encode("cafe\u0301")));
        Assert.Equal("日本語のテキストです。", tok.Decode(tok.Encode("日本語のテキストです。")));
    }
}
