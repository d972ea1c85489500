using System.Text.Json;
using System.Text.Json.Nodes;
using ChatPlatform.Llm.Tokenization;
using static ChatPlatform.Llm.Tests.Tokenization.ReferenceData;

namespace ChatPlatform.Llm.Tests.Tokenization;

/// <summary>Loading: tokenizer_config.json, model type inference, and the errors for files it cannot run.</summary>
public sealed class HfTokenizerLoadingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "chatplatform-tokenizer-loading-" + Guid.NewGuid().ToString("N"));

    public HfTokenizerLoadingTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Llama3_SpecialTokensComeFromTokenizerConfig()
    {
        var tok = Tokenizer("llama3_1");
        Assert.Equal("<|begin_of_text|>", tok.BosToken);
        Assert.Equal(128000, tok.BosTokenId);
        Assert.Equal("<|eot_id|>", tok.EosToken);
        Assert.Equal(128009, tok.EosTokenId);
        Assert.Equal(128256, tok.VocabSize);
        Assert.True(tok.IsSpecial(128009));
        Assert.False(tok.IsSpecial(tok.TokenToId("Hello")!.Value));
        Assert.Equal(128000, tok.Encode("Hi")[0]);
    }

    [Fact]
    public void Qwen3_HasNoBosAndNonSpecialAddedTokens()
    {
        var tok = Tokenizer("qwen3");
        Assert.Null(tok.BosToken);
        Assert.Null(tok.BosTokenId);
        Assert.Equal(151645, tok.EosTokenId); // <|im_end|>
        Assert.Equal(151669, tok.VocabSize);
        int think = tok.TokenToId("<think>")!.Value;
        Assert.False(tok.IsSpecial(think));
        Assert.Equal("<think>", tok.Decode([think], skipSpecialTokens: true));
    }

    [Fact]
    public void FromFile_WithoutConfig_TakesBosFromTheTemplate()
    {
        var tok = HfTokenizer.FromFile(Path.Combine(MaterializedDir("mistral"), "tokenizer.json"));
        Assert.Equal("<s>", tok.BosToken);
        Assert.Equal(1, tok.BosTokenId);
        Assert.Null(tok.EosTokenId);
        Assert.Equal(32000, tok.VocabSize);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("bert-base-uncased")]
    [InlineData("bytelevel-small")]
    public void FilesWithoutModelType_AreTheOnesTheReferenceChecks(string folder)
    {
        // The reference tests pass on these files only if BPE/WordPiece was inferred from the fields.
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(MaterializedDir(folder), "tokenizer.json")))!;
        Assert.Null(json["model"]!["type"]);
        var c = Cases(folder).First(x => x.Text == "Hello world");
        Assert.Equal(c.Ids, Tokenizer(folder).Encode(c.Text));
    }

    [Fact]
    public void AddEosToken_InConfig_AppendsEos()
    {
        // transformers' Llama tokenizers build the template from add_bos_token/add_eos_token.
        var dir = MaterializedDir("stories260K");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer_config.json")))!;
        config["add_eos_token"] = true;
        File.Copy(Path.Combine(dir, "tokenizer.json"), Path.Combine(_dir, "tokenizer.json"));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), config.ToJsonString());
        var tok = HfTokenizer.FromDirectory(_dir);
        foreach (var c in Cases("stories260K").Take(20))
        {
            Assert.Equal([.. c.Ids, 2], tok.Encode(c.Text));
            Assert.Equal(c.IdsNoSpecial, tok.Encode(c.Text, addSpecialTokens: false));
        }
    }

    [Fact]
    public void UnigramModel_IsRefusedNamingTheFileAndField()
    {
        var e = LoadModified(j => j["model"] = JsonNode.Parse("""{"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0]]}"""));
        Assert.Equal("tokenizer.json: model.type 'Unigram' is not supported", e.Message);
    }

    [Fact]
    public void UnigramWithoutType_IsInferredAndRefused()
    {
        var e = LoadModified(j => j["model"] = JsonNode.Parse("""{"unk_id": 0, "vocab": [["<unk>", 0.0]]}"""));
        Assert.Equal("tokenizer.json: model.type 'Unigram' is not supported", e.Message);
    }

    [Fact]
    public void UnsupportedNestedStep_NamesItsPath()
    {
        var e = LoadModified(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type": "Sequence", "pretokenizers": [{"type": "Digits"}, {"type": "UnicodeScripts"}]}"""));
        Assert.Equal("tokenizer.json: pre_tokenizer.pretokenizers[1].type 'UnicodeScripts' is not supported", e.Message);
        e = LoadModified(j => j["normalizer"] = JsonNode.Parse("""{"type": "Precompiled", "precompiled_charsmap": ""}"""));
        Assert.Equal("tokenizer.json: normalizer.type 'Precompiled' is not supported", e.Message);
        e = LoadModified(j => j["decoder"] = JsonNode.Parse("""{"type": "CTC"}"""));
        Assert.Equal("tokenizer.json: decoder.type 'CTC' is not supported", e.Message);
    }

    [Fact]
    public void MalformedFiles_AreInvalidData()
    {
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), "{ not json");
        var e = Assert.Throws<InvalidDataException>(() => HfTokenizer.FromDirectory(_dir));
        Assert.StartsWith("tokenizer.json: not valid JSON", e.Message);

        e = LoadModified(j => j.AsObject().Remove("model"));
        Assert.Equal("tokenizer.json: model is missing", e.Message);
        e = LoadModified(j => j["model"]!["merges"]!.AsArray().Add("no-space-here"));
        Assert.StartsWith("tokenizer.json: model.merges[165] must be \"left right\"", e.Message);
        e = LoadModified(j => j["model"]!["merges"]!.AsArray().Add("zz qq"));
        Assert.Equal("tokenizer.json: model.merges[165] uses 'zz', which is not in model.vocab", e.Message);
        e = LoadModified(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}"""));
        Assert.StartsWith("tokenizer.json: pre_tokenizer.pattern.Regex is not a valid regular expression", e.Message);
        e = LoadModified(j => j["added_tokens"]![0]!["id"] = "zero");
        Assert.Equal("tokenizer.json: added_tokens[0].id must be an integer, not \"zero\"", e.Message);
    }

    [Fact]
    public void MalformedConfig_IsInvalidDataNamingTheConfig()
    {
        File.Copy(Path.Combine(MaterializedDir("stories260K"), "tokenizer.json"), Path.Combine(_dir, "tokenizer.json"));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), """{"add_bos_token": "yes"}""");
        var e = Assert.Throws<InvalidDataException>(() => HfTokenizer.FromDirectory(_dir));
        Assert.Equal("tokenizer_config.json: add_bos_token must be true or false, not \"yes\"", e.Message);
    }

    // stories260K's tokenizer.json (small) with one change, loaded from a file named tokenizer.json.
    private InvalidDataException LoadModified(Action<JsonNode> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(MaterializedDir("stories260K"), "tokenizer.json")))!;
        change(json);
        var path = Path.Combine(_dir, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        return Assert.Throws<InvalidDataException>(() => HfTokenizer.FromFile(path));
    }
}
