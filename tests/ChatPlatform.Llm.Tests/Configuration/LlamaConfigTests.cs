using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Configuration;

public class LlamaConfigTests
{
    [Fact]
    public void ParsesTheRealStories260KConfig()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260K);
        var c = LlamaConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal(LlamaModelType.Llama, c.ModelType);
        Assert.Equal(512, c.VocabSize);
        Assert.Equal(64, c.HiddenSize);
        Assert.Equal(172, c.IntermediateSize);
        Assert.Equal(5, c.NumHiddenLayers);
        Assert.Equal(8, c.NumAttentionHeads);
        Assert.Equal(4, c.NumKeyValueHeads);
        Assert.Equal(2, c.NumKeyValueGroups);
        Assert.Equal(8, c.HeadDim);
        Assert.Equal(512, c.MaxPositionEmbeddings);
        Assert.Equal(1e-5, c.RmsNormEps);
        Assert.Equal(10000, c.RopeTheta);
        Assert.Null(c.RopeScaling);
        Assert.True(c.TieWordEmbeddings);
        Assert.False(c.QkvBias || c.OutputBias || c.MlpBias || c.QkNorm);
        Assert.Equal(ScalarType.Float32, c.TorchDtype);
        Assert.Equal(1, c.BosTokenId);
        Assert.Equal([2], c.EosTokenIds);
        Assert.Null(c.PadTokenId);
        Assert.Null(c.SlidingWindow);
    }

    // meta-llama/Llama-3.2-1B-Instruct
    private const string Llama32 = """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 128000,
         "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
         "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false,
         "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
         "pretraining_tp": 1, "rms_norm_eps": 1e-05,
         "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"},
         "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
         "transformers_version": "4.45.0.dev0", "use_cache": true, "vocab_size": 128256}
        """;

    [Fact]
    public void ParsesLlama32WithLlama3RopeScalingAndAnEosList()
    {
        var c = LlamaConfig.Parse(Llama32);
        Assert.Equal(LlamaModelType.Llama, c.ModelType);
        Assert.Equal(64, c.HeadDim);
        Assert.Equal(4, c.NumKeyValueGroups);
        Assert.Equal(500000, c.RopeTheta);
        var rope = Assert.IsType<Llama3RopeScaling>(c.RopeScaling);
        Assert.Equal(32, rope.Factor);
        Assert.Equal(1, rope.LowFreqFactor);
        Assert.Equal(4, rope.HighFreqFactor);
        Assert.Equal(8192, rope.OriginalMaxPositionEmbeddings);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(ScalarType.BFloat16, c.TorchDtype);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal(c, LlamaConfig.Parse(Llama32));  // value equality, the eos list included
        Assert.NotEqual(c, LlamaConfig.Parse(Llama32.Replace("128009]", "128010]")));
    }

    [Fact]
    public void ParsesQwen25WithItsImpliedQkvBias()
    {
        // Qwen/Qwen2.5-0.5B-Instruct
        var c = LlamaConfig.Parse("""
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151645,
             "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864,
             "max_position_embeddings": 32768, "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 14,
             "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "sliding_window": 32768, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.43.1",
             "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
            """);
        Assert.Equal(LlamaModelType.Qwen2, c.ModelType);
        Assert.True(c.QkvBias);
        Assert.False(c.OutputBias);
        Assert.False(c.AttentionBias);
        Assert.False(c.QkNorm);
        Assert.Equal(64, c.HeadDim);
        Assert.Equal(7, c.NumKeyValueGroups);
        Assert.Equal(1_000_000, c.RopeTheta);
        Assert.Null(c.SlidingWindow);  // use_sliding_window is false
        Assert.Null(c.MaxWindowLayers);
        Assert.Equal([151645], c.EosTokenIds);
    }

    [Fact]
    public void ParsesQwen3WithAnExplicitHeadDimAndQkNorm()
    {
        // Qwen/Qwen3-0.6B: 16 heads × 128 = 2048 is not hidden_size.
        var c = LlamaConfig.Parse("""
            {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "initializer_range": 0.02,
             "intermediate_size": 3072, "max_position_embeddings": 40960, "max_window_layers": 28, "model_type": "qwen3",
             "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8, "rms_norm_eps": 1e-06,
             "rope_scaling": null, "rope_theta": 1000000, "sliding_window": null, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false,
             "vocab_size": 151936}
            """);
        Assert.Equal(LlamaModelType.Qwen3, c.ModelType);
        Assert.Equal(128, c.HeadDim);
        Assert.Equal(1024, c.HiddenSize);
        Assert.True(c.QkNorm);
        Assert.False(c.QkvBias || c.OutputBias);
        Assert.Equal(40960, c.MaxPositionEmbeddings);

        var biased = LlamaConfig.Parse("""
            {"model_type": "qwen3", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64,
             "num_hidden_layers": 2, "num_attention_heads": 4, "attention_bias": true}
            """);
        Assert.True(biased.QkvBias && biased.OutputBias);
        Assert.Equal(128, biased.HeadDim);  // Qwen3Config's default when head_dim is absent
        Assert.Equal(4, biased.NumKeyValueHeads);
    }

    [Fact]
    public void ParsesMistralAndItsSlidingWindow()
    {
        // mistralai/Mistral-7B-v0.1
        var v01 = LlamaConfig.Parse("""
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
             "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768,
             "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
             "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 4096, "tie_word_embeddings": false,
             "torch_dtype": "bfloat16", "transformers_version": "4.34.0.dev0", "use_cache": true, "vocab_size": 32000}
            """);
        Assert.Equal(LlamaModelType.Mistral, v01.ModelType);
        Assert.Equal(4096, v01.SlidingWindow);
        Assert.Equal(128, v01.HeadDim);
        Assert.False(v01.QkvBias || v01.OutputBias || v01.MlpBias || v01.QkNorm);

        const string tiny = """
            "model_type": "mistral", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4
            """;
        Assert.Null(LlamaConfig.Parse("{" + tiny + """, "sliding_window": null}""").SlidingWindow);
        Assert.Equal(4096, LlamaConfig.Parse("{" + tiny + "}").SlidingWindow);  // MistralConfig's default
        Assert.Equal(131072, LlamaConfig.Parse("{" + tiny + "}").MaxPositionEmbeddings);
    }

    [Fact]
    public void AppliesHuggingFaceDefaults()
    {
        var c = LlamaConfig.Parse("""
            {"model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64,
             "num_hidden_layers": 2, "num_attention_heads": 4, "eos_token_id": null}
            """);
        Assert.Equal(4, c.NumKeyValueHeads);
        Assert.Equal(8, c.HeadDim);
        Assert.Equal(1e-6, c.RmsNormEps);
        Assert.Equal(10000, c.RopeTheta);
        Assert.Equal(2048, c.MaxPositionEmbeddings);
        Assert.False(c.TieWordEmbeddings);
        Assert.Null(c.TorchDtype);
        Assert.Empty(c.EosTokenIds);
        Assert.Null(c.BosTokenId);
    }

    [Fact]
    public void ParsesLinearAndDefaultRopeScalingAndTheNewRopeParameters()
    {
        const string head = """
            "model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4
            """;
        var linear = LlamaConfig.Parse("{" + head + """, "rope_scaling": {"type": "linear", "factor": 2.0}}""");
        Assert.Equal(2, Assert.IsType<LinearRopeScaling>(linear.RopeScaling).Factor);
        Assert.Null(LlamaConfig.Parse("{" + head + """, "rope_scaling": {"rope_type": "default"}}""").RopeScaling);

        // transformers 5: {"rope_parameters": {"rope_type": ..., "rope_theta": ...}}
        var v5 = LlamaConfig.Parse("{" + head + """, "dtype": "bfloat16", "rope_parameters": {"rope_type": "linear", "factor": 4, "rope_theta": 500000}}""");
        Assert.Equal(500000, v5.RopeTheta);
        Assert.Equal(4, Assert.IsType<LinearRopeScaling>(v5.RopeScaling).Factor);
        Assert.Equal(ScalarType.BFloat16, v5.TorchDtype);
    }

    [Fact]
    public void LlamaReadsItsBiasFlags()
    {
        var c = LlamaConfig.Parse("""
            {"model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64,
             "num_hidden_layers": 2, "num_attention_heads": 4, "attention_bias": true, "mlp_bias": true}
            """);
        Assert.True(c.QkvBias && c.OutputBias && c.MlpBias);
    }

    [Fact]
    public void BuildsATinyConfigInCode()
    {
        var c = new LlamaConfig(LlamaModelType.Llama, vocabSize: 64, hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 2,
            numAttentionHeads: 4, numKeyValueHeads: 2);
        Assert.Equal(8, c.HeadDim);
        Assert.Equal(2, c.NumKeyValueGroups);
        var e = Assert.Throws<ArgumentException>(() => new LlamaConfig(LlamaModelType.Qwen2, 64, 32, 64, 2, 4, attentionBias: true));
        Assert.Equal("attention_bias does not apply to qwen2 (its biases are fixed by the architecture)", e.Message);
    }

    private const string Tiny = """
        "vocab_size": 64, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4
        """;

    [Theory]
    [InlineData("""{"model_type": "gpt_neox"}""", "model_type 'gpt_neox' is not supported (supported: llama, mistral, qwen2, qwen3)")]
    [InlineData("""{"vocab_size": 64}""", "model_type is missing (supported: llama, mistral, qwen2, qwen3)")]
    [InlineData("""{"model_type": "llama", "hidden_act": "gelu", #}""", "hidden_act 'gelu' is not supported (supported: silu)")]
    [InlineData("""{"model_type": "llama", "rope_scaling": {"rope_type": "yarn", "factor": 4.0}, #}""",
        "rope_scaling.rope_type 'yarn' is not supported (supported: default, linear, llama3)")]
    [InlineData("""{"model_type": "llama", "rope_scaling": {"factor": 4.0}, #}""", "rope_scaling.rope_type is missing")]
    [InlineData("""{"model_type": "llama", "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}, #}""",
        "rope_scaling.low_freq_factor is missing")]
    [InlineData("""{"model_type": "llama", "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 4.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}, #}""",
        "rope_scaling.high_freq_factor (4) must be greater than low_freq_factor (4)")]
    [InlineData("""{"model_type": "llama", "rope_scaling": {"rope_type": "linear", "factor": -1}, #}""", "rope_scaling.factor must be positive, not -1")]
    [InlineData("""{"model_type": "llama", "num_key_value_heads": 3, #}""", "num_attention_heads (4) must be a multiple of num_key_value_heads (3)")]
    [InlineData("""{"model_type": "llama", "vocab_size": 64, "hidden_size": 30, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4}""",
        "hidden_size (30) must be divisible by num_attention_heads (4) when head_dim is not given")]
    [InlineData("""{"model_type": "llama", "head_dim": 7, #}""", "head_dim (7) must be even")]
    [InlineData("""{"model_type": "llama", "vocab_size": 0, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4}""",
        "vocab_size must be positive, not 0")]
    [InlineData("""{"model_type": "llama", "vocab_size": 64, "hidden_size": "32", "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4}""",
        "hidden_size must be an integer, not \"32\"")]
    [InlineData("""{"model_type": "llama", "vocab_size": 64, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4}""",
        "hidden_size is missing")]
    [InlineData("""{"model_type": "llama", "eos_token_id": [2, "x"], #}""", "eos_token_id must be an integer or a list of integers")]
    [InlineData("""{"model_type": "llama", "rms_norm_eps": 0, #}""", "rms_norm_eps must be positive, not 0")]
    [InlineData("""{"model_type": "llama", "tie_word_embeddings": "yes", #}""", "tie_word_embeddings must be true or false, not \"yes\"")]
    [InlineData("""{"model_type": "llama", "torch_dtype": "int4", #}""", "torch_dtype 'int4' is not supported")]
    [InlineData("""{"model_type": "mistral", "sliding_window": 0, #}""", "sliding_window must be positive, not 0")]
    [InlineData("""{"model_type": "llama", "rope_scaling": {"rope_type": "linear", "factor": "4"}, #}""",
        "rope_scaling.factor must be a finite number, not \"4\"")]
    [InlineData("""{"model_type": "llama", "rope_parameters": {"rope_type": "linear", "factor": 4.0, "rope_theta": []}, #}""",
        "rope_parameters.rope_theta must be a finite number, not []")]
    [InlineData("""{"model_type": "llama", #""", "not valid JSON")]
    [InlineData("""["llama"]""", "a JSON Array, not an object")]
    public void RejectsWithAMessageNamingTheFileAndField(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => LlamaConfig.Parse(json.Replace("#", Tiny), "models/x/config.json"));
        Assert.StartsWith("models/x/config.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void TheUnsupportedModelTypeMessageIsExact()
    {
        var e = Assert.Throws<InvalidDataException>(() => LlamaConfig.Parse("""{"model_type": "gpt_neox"}"""));
        Assert.Equal("config.json: model_type 'gpt_neox' is not supported (supported: llama, mistral, qwen2, qwen3)", e.Message);
    }
}
