using ChatPlatform.Llm.Configuration;

namespace ChatPlatform.Llm.Tests.Configuration;

public class GenerationConfigTests
{
    [Fact]
    public void ParsesTheRealStories260KGenerationConfig()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260K);
        var g = GenerationConfig.LoadFromFolder(folder);
        Assert.Equal(1, g.BosTokenId);
        Assert.Equal([2], g.EosTokenIds);
        Assert.Null(g.DoSample);
        Assert.Null(g.Temperature);
        Assert.Null(g.MaxNewTokens);
    }

    [Fact]
    public void ParsesQwen25Sampling()
    {
        // Qwen/Qwen2.5-0.5B-Instruct
        var g = GenerationConfig.Parse("""
            {"bos_token_id": 151643, "pad_token_id": 151643, "do_sample": true, "eos_token_id": [151645, 151643],
             "repetition_penalty": 1.1, "temperature": 0.7, "top_p": 0.8, "top_k": 20, "transformers_version": "4.37.0"}
            """);
        Assert.Equal([151645, 151643], g.EosTokenIds);
        Assert.Equal(151643, g.PadTokenId);
        Assert.True(g.DoSample);
        Assert.Equal(0.7, g.Temperature);
        Assert.Equal(0.8, g.TopP);
        Assert.Equal(20, g.TopK);
        Assert.Equal(1.1, g.RepetitionPenalty);
        Assert.Null(g.MinP);

        var limits = GenerationConfig.Parse("""{"min_p": 0.05, "max_new_tokens": 256, "max_length": 4096}""");
        Assert.Equal(0.05, limits.MinP);
        Assert.Equal(256, limits.MaxNewTokens);
        Assert.Equal(4096, limits.MaxLength);
    }

    [Fact]
    public void AFolderWithoutTheFileGivesEmpty()
    {
        using var folder = new TempFolder();
        Assert.Same(GenerationConfig.Empty, GenerationConfig.LoadFromFolder(folder.Path));
        Assert.Empty(GenerationConfig.Empty.EosTokenIds);
    }

    [Theory]
    [InlineData("""{"top_p": 1.5}""", "top_p must be in (0, 1], not 1.5")]
    [InlineData("""{"temperature": -1}""", "temperature must be 0 or more, not -1")]
    [InlineData("""{"top_k": -5}""", "top_k must be 0 (off) or more, not -5")]
    [InlineData("""{"min_p": 2}""", "min_p must be in [0, 1], not 2")]
    [InlineData("""{"repetition_penalty": 0}""", "repetition_penalty must be positive, not 0")]
    [InlineData("""{"max_new_tokens": 0}""", "max_new_tokens must be positive, not 0")]
    [InlineData("""{"do_sample": "yes"}""", "do_sample must be true or false, not \"yes\"")]
    [InlineData("""{"eos_token_id": "2"}""", "eos_token_id must be an integer or a list of integers, not \"2\"")]
    public void RejectsInvalidValues(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => GenerationConfig.Parse(json));
        Assert.Equal("generation_config.json: " + expected, e.Message);
    }
}

public class BertConfigTests
{
    // sentence-transformers/all-MiniLM-L6-v2
    private const string MiniLm = """
        {"_name_or_path": "nreimers/MiniLM-L6-H384-uncased", "architectures": ["BertModel"], "attention_probs_dropout_prob": 0.1,
         "gradient_checkpointing": false, "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 384,
         "initializer_range": 0.02, "intermediate_size": 1536, "layer_norm_eps": 1e-12, "max_position_embeddings": 512,
         "model_type": "bert", "num_attention_heads": 12, "num_hidden_layers": 6, "pad_token_id": 0,
         "position_embedding_type": "absolute", "transformers_version": "4.8.2", "type_vocab_size": 2, "use_cache": true,
         "vocab_size": 30522}
        """;

    [Fact]
    public void ParsesMiniLm()
    {
        var c = BertConfig.Parse(MiniLm);
        Assert.Equal(30522, c.VocabSize);
        Assert.Equal(384, c.HiddenSize);
        Assert.Equal(6, c.NumHiddenLayers);
        Assert.Equal(12, c.NumAttentionHeads);
        Assert.Equal(32, c.HeadDim);
        Assert.Equal(1536, c.IntermediateSize);
        Assert.Equal(512, c.MaxPositionEmbeddings);
        Assert.Equal(2, c.TypeVocabSize);
        Assert.Equal(1e-12, c.LayerNormEps);
        Assert.Equal(0, c.PadTokenId);
    }

    [Theory]
    [InlineData("\"model_type\": \"bert\"", "\"model_type\": \"roberta\"", "model_type 'roberta' is not supported (supported: bert)")]
    [InlineData("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"gelu_new\"", "hidden_act 'gelu_new' is not supported (supported: gelu)")]
    [InlineData("\"position_embedding_type\": \"absolute\"", "\"position_embedding_type\": \"relative_key\"", "position_embedding_type 'relative_key' is not supported (supported: absolute)")]
    [InlineData("\"num_attention_heads\": 12", "\"num_attention_heads\": 5", "hidden_size (384) must be divisible by num_attention_heads (5)")]
    [InlineData("\"layer_norm_eps\": 1e-12", "\"layer_norm_eps\": -1", "layer_norm_eps must be positive, not -1")]
    [InlineData("\"vocab_size\": 30522", "\"vocab_typo\": 30522", "vocab_size is missing")]
    public void RejectsWithAMessageNamingTheFileAndField(string find, string replace, string expected)
    {
        Assert.Contains(find, MiniLm);
        var e = Assert.Throws<InvalidDataException>(() => BertConfig.Parse(MiniLm.Replace(find, replace)));
        Assert.Equal("config.json: " + expected, e.Message);
    }
}
