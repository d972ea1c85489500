using ChatPlatform.Llm.Tokenization;
using static ChatPlatform.Llm.Tests.Tokenization.ReferenceData;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>
/// StreamingDecoder: pushing the reference ids one at a time gives Decode's text (which the reference
/// tests pin to Hugging Face's), and no push ever returns part of a character.
/// </summary>
public sealed class StreamingDecoderTests
{
    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void PushingIdsOneByOne_EqualsFullDecode(string folder)
    {
        foreach (bool skip in new[] { true, false })
        {
            HfTokenizerReferenceTests.AssertAll(folder, (tok, c) =>
            {
                var (streamed, pieces) = Stream(tok, c.Ids, skip);
                var full = tok.Decode(c.Ids, skip);
                if (streamed != full) return $"skip={skip}: streamed {Show(streamed)} != decoded {Show(full)}";
                var split = pieces.FirstOrDefault(p => p.Length > 0 && (char.IsHighSurrogate(p[^1]) || char.IsLowSurrogate(p[0])));
                return split is null ? null : $"a push returned half a surrogate pair: {Show(split)}";
            });
        }
    }

    [Fact]
    public void EmojiSplitAcrossByteFallbackTokens_IsHeldBackUntilComplete()
    {
        // stories260K has no token for 🙂 (F0 9F 99 82): it is four <0xNN> byte-fallback tokens.
        var tok = Tokenizer("stories260K");
        var ids = tok.Encode("emoji 🙂 ok", addSpecialTokens: false);
        var byteIds = new[] { "<0xF0>", "<0x9F>", "<0x99>", "<0x82>" }.Select(t => tok.TokenToId(t)!.Value).ToArray();
        int at = IndexOf(ids, byteIds);
        Assert.True(at > 0, $"expected the emoji as four byte tokens in {Show(ids)}");

        var stream = tok.CreateStreamingDecoder();
        var before = string.Concat(ids.Take(at).Select(stream.Push));
        Assert.Equal("emoji", before.TrimEnd());
        Assert.Equal("", stream.Push(ids[at]));
        Assert.Equal("", stream.Push(ids[at + 1]));
        Assert.Equal("", stream.Push(ids[at + 2]));
        Assert.Equal("🙂", stream.Push(ids[at + 3]).TrimStart());
        var rest = string.Concat(ids.Skip(at + 4).Select(stream.Push)) + stream.Flush();
        Assert.Equal(tok.Decode(ids), before + "🙂" + rest);
    }

    [Fact]
    public void ByteLevelCharacterSplitAcrossTokens_IsHeldBackUntilComplete()
    {
        // In GPT-2's byte-level BPE a rare CJK character spans several tokens, each holding some of its bytes.
        var tok = Tokenizer("gpt2");
        var ids = tok.Encode("語", addSpecialTokens: false);
        Assert.True(ids.Length > 1, $"expected 語 to need several byte-level tokens, got {Show(ids)}");
        var stream = tok.CreateStreamingDecoder();
        var pieces = ids.Select(stream.Push).ToList();
        Assert.All(pieces.Take(pieces.Count - 1), p => Assert.Equal("", p));
        Assert.Equal("語", pieces[^1]);
        Assert.Equal("", stream.Flush());
    }

    [Fact]
    public void SentencePieceLeadingSpace_IsStrippedOnlyAtTheStart_AsInFullDecode()
    {
        var tok = Tokenizer("mistral");
        var ids = tok.Encode("Hello world  and more", addSpecialTokens: true);
        var stream = tok.CreateStreamingDecoder();
        var pieces = ids.Select(stream.Push).ToList();
        Assert.Equal("", pieces[0]);      // <s> skipped
        Assert.Equal("Hello", pieces[1]); // the dummy-prefix space is stripped, as Decode does
        Assert.Equal("Hello world  and more", string.Concat(pieces) + stream.Flush());
    }

    [Fact]
    public void Flush_ReturnsAnIncompleteCharacterAsReplacement()
    {
        var tok = Tokenizer("stories260K");
        var stream = tok.CreateStreamingDecoder();
        Assert.Equal("", stream.Push(tok.TokenToId("<0xF0>")!.Value));
        Assert.Equal("\uFFFD", stream.Flush());
        Assert.Equal("\uFFFD", tok.Decode([tok.TokenToId("<0xF0>")!.Value]));
    }

    private static (string Text, List<string> Pieces) Stream(HfTokenizer tok, int[] ids, bool skip)
    {
        var stream = tok.CreateStreamingDecoder(skip);
        var pieces = ids.Select(stream.Push).ToList();
        pieces.Add(stream.Flush());
        return (string.Concat(pieces), pieces);
    }

    private static int IndexOf(int[] ids, int[] run)
    {
        for (int i = 0; i + run.Length <= ids.Length; i++)
        {
            if (ids.AsSpan(i, run.Length).SequenceEqual(run)) return i;
        }
        return -1;
    }
}
