using ChatPlatform.Llm.Tokenization;
using static ChatPlatform.Llm.Tests.Tokenization.ReferenceData;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>
/// Encode and Decode against Hugging Face's Rust `tokenizers` on the same tokenizer.json, for every input
/// of the reference set (whitespace runs, newlines, long numbers, contractions, code, URLs, CJK, emoji,
/// accents, special-token lookalikes, empty string, ...). All mismatches of a folder are reported at once.
/// </summary>
public sealed class HfTokenizerReferenceTests
{
    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void Encode_WithSpecialTokens_EqualsHuggingFace(string folder) =>
        AssertAll(folder, (tok, c) => Mismatch("ids", c.Ids, tok.Encode(c.Text)));

    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void Encode_WithoutSpecialTokens_EqualsHuggingFace(string folder) =>
        AssertAll(folder, (tok, c) => Mismatch("ids_no_special", c.IdsNoSpecial, tok.Encode(c.Text, addSpecialTokens: false)));

    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void Decode_EqualsHuggingFace(string folder) =>
        AssertAll(folder, (tok, c) => Mismatch("decoded", c.Decoded!, tok.Decode(c.Ids)));

    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void Decode_SkippingSpecialTokens_EqualsHuggingFace(string folder) =>
        AssertAll(folder, (tok, c) => Mismatch("decoded_skip_special", c.DecodedSkipSpecial!, tok.Decode(c.Ids, skipSpecialTokens: true)));

    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void IdToToken_And_TokenToId_EqualHuggingFaceTokens(string folder) =>
        AssertAll(folder, (tok, c) =>
        {
            // Hugging Face's token for an lstrip/rstrip added token includes the spaces it swallowed.
            var tokens = c.Ids.Select(id => tok.IdToToken(id)?.Trim()).ToArray();
            var expected = c.Tokens!.Select(t => t.Trim()).ToArray();
            if (!tokens.SequenceEqual(expected)) return $"tokens: expected {string.Join(" ", expected)} got {string.Join(" ", tokens)}";
            var ids = c.Ids.Select(id => tok.TokenToId(tok.IdToToken(id)!) ?? -1).ToArray();
            return Mismatch("TokenToId(IdToToken)", c.Ids, ids);
        });

    [Theory]
    [MemberData(nameof(RustFolders), MemberType = typeof(ReferenceData))]
    public void CountTokens_IsTheNumberOfIdsWithoutSpecialTokens(string folder) =>
        AssertAll(folder, (tok, c) => tok.CountTokens(c.Text) == c.IdsNoSpecial.Length ? null
            : $"CountTokens {tok.CountTokens(c.Text)} != {c.IdsNoSpecial.Length}");

    /// <summary>tokenizer_config.json `legacy: false`: no dummy prefix after special tokens (transformers.js reference).</summary>
    [Theory]
    [MemberData(nameof(LegacyFolders), MemberType = typeof(ReferenceData))]
    public void Encode_WithLegacyFalse_EqualsTransformers(string folder) =>
        AssertAll(folder, (tok, c) => Mismatch("ids", c.Ids, tok.Encode(c.Text))
            ?? Mismatch("ids_no_special", c.IdsNoSpecial, tok.Encode(c.Text, addSpecialTokens: false)));

    [Fact]
    public void LegacyFlag_ChangesOnlyTextAfterSpecialTokens()
    {
        // The same tokenizer.json with legacy true and false: "<s>Hello" must differ, "Hello" must not.
        var legacy = Tokenizer("mistral");
        var nonLegacy = Tokenizer("mistral-legacy-false");
        Assert.Equal(legacy.Encode("Hello world"), nonLegacy.Encode("Hello world"));
        Assert.NotEqual(legacy.Encode("<s>Hello"), nonLegacy.Encode("<s>Hello"));
        Assert.Equal([1, 1, nonLegacy.TokenToId("Hello")!.Value], nonLegacy.Encode("<s>Hello"));
    }

    internal static string? Mismatch(string what, int[] expected, int[] actual) =>
        expected.SequenceEqual(actual) ? null : $"{what}: expected {Show(expected)} got {Show(actual)}";

    internal static string? Mismatch(string what, string expected, string actual) =>
        expected == actual ? null : $"{what}: expected {Show(expected)} got {Show(actual)}";

    internal static void AssertAll(string folder, Func<HfTokenizer, ReferenceCase, string?> check)
    {
        var tokenizer = Tokenizer(folder);
        var cases = Cases(folder);
        Assert.NotEmpty(cases);
        var failures = cases.Select(c => (c, error: check(tokenizer, c))).Where(x => x.error is not null)
            .Select(x => $"{Show(x.c.Text)}: {x.error}").ToList();
        Assert.True(failures.Count == 0,
            $"{folder}: {failures.Count} of {cases.Count} cases differ from the reference:\n" + string.Join("\n", failures.Take(15)));
    }
}
