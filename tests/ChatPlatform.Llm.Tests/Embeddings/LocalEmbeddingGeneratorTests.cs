using ChatPlatform.Llm.Embeddings;
using ChatPlatform.Llm.Tests.Models.Bert;
using ChatPlatform.Torch;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Llm.Tests.Embeddings;

/// <summary>
/// The sentence-transformers pipeline on the tiny reference BERT: poolings and normalisation against
/// make_bert_reference.py's outputs, padding invariance, prompts and truncation.
/// </summary>
public sealed class LocalEmbeddingGeneratorTests
{
    private static readonly string[] Texts = TinyBert.Cases.Select(c => c.Text).ToArray();

    private static LocalEmbeddingGenerator Load(TempFolder folder, string pooling = "mean", bool normalize = false,
        string? prompts = null, int? maxSeqLength = null, LocalEmbeddingOptions? options = null) =>
        LocalEmbeddingGenerator.Load(TinyBert.WriteSentenceTransformer(folder, TinyBert.Pooling(pooling), normalize, prompts, maxSeqLength), options);

    private static Task<GeneratedEmbeddings<Embedding<float>>> Embed(LocalEmbeddingGenerator generator, IEnumerable<string> texts,
        EmbeddingGenerationOptions? options = null) =>
        generator.GenerateAsync(texts, options, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("mean")]
    [InlineData("cls")]
    [InlineData("max")]
    [InlineData("mean_sqrt_len_tokens")]
    [InlineData("lasttoken")]
    public async Task Each_pooling_mode_matches_the_reference(string mode)
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, mode);
        var embeddings = await Embed(generator, Texts);
        Assert.Equal(Texts.Length, embeddings.Count);
        for (var i = 0; i < Texts.Length; i++)
            Approx.Equal(TinyBert.Cases[i].Pooled[mode], embeddings[i].Vector.ToArray().Select(x => (double)x).ToArray(), 2e-5);
    }

    [Fact]
    public async Task Normalize_module_gives_unit_vectors_equal_to_the_reference()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean", normalize: true);
        var embeddings = await Embed(generator, Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            var v = embeddings[i].Vector.ToArray().Select(x => (double)x).ToArray();
            Approx.Equal(TinyBert.Cases[i].Pooled["mean_normalized"], v, 2e-5);
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 1e-5);
        }
        // Without the module the same model's vectors are not unit length (so the check above means something).
        using var plainFolder = new TempFolder();
        using var plain = Load(plainFolder, "mean");
        var raw = (await Embed(plain, [Texts[0]]))[0].Vector.ToArray();
        Assert.True(Math.Abs(Math.Sqrt(raw.Sum(x => (double)x * x)) - 1.0) > 0.01);
    }

    [Fact]
    public async Task A_sentence_alone_equals_the_same_sentence_in_a_padded_batch()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean", options: new LocalEmbeddingOptions { DType = ScalarType.Float32 });
        // The shortest sentence is padded by 4 tokens in the batch; alone it has no padding at all.
        var batch = await Embed(generator, Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            var alone = await Embed(generator, [Texts[i]]);
            Approx.Equal(alone[0].Vector.ToArray().Select(x => (double)x).ToArray(),
                batch[i].Vector.ToArray().Select(x => (double)x).ToArray(), 1e-5);
        }
    }

    [Fact]
    public async Task Batches_smaller_than_the_input_keep_the_input_order()
    {
        using var folder = new TempFolder();
        using var one = Load(folder, "mean", options: new LocalEmbeddingOptions { BatchSize = 1 });
        using var folder2 = new TempFolder();
        using var all = Load(folder2, "mean");
        var a = await Embed(one, Texts);
        var b = await Embed(all, Texts);
        for (var i = 0; i < Texts.Length; i++)
            Approx.Equal(b[i].Vector.ToArray().Select(x => (double)x).ToArray(), a[i].Vector.ToArray().Select(x => (double)x).ToArray(), 1e-5);
        Assert.Equal(TinyBert.Cases.Sum(c => c.InputIds.Length), a.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Query_and_passage_prompts_are_prepended()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean",
            prompts: """{"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": null}""");
        Assert.Equal([2, 23, 24, 26, 3], generator.Encoder.Tokenize("a", generator.PromptFor(LocalEmbeddingGenerator.ForQueries())));
        Assert.Equal([2, 25, 24, 26, 3], generator.Encoder.Tokenize("a", generator.PromptFor(LocalEmbeddingGenerator.ForPassages())));

        var asQuery = (await Embed(generator, ["a"], LocalEmbeddingGenerator.ForQueries()))[0].Vector.ToArray();
        var prefixedByHand = (await Embed(generator, ["query: a"]))[0].Vector.ToArray();
        var asPassage = (await Embed(generator, ["a"], LocalEmbeddingGenerator.ForPassages()))[0].Vector.ToArray();
        Assert.Equal(prefixedByHand, asQuery);
        Assert.NotEqual(asQuery, asPassage);
    }

    [Fact]
    public async Task Default_prompt_and_option_prompts_apply_and_unknown_names_are_refused()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean",
            prompts: """{"prompts": {"query": "query: ", "document": "passage: "}, "default_prompt_name": "query"}""",
            options: new LocalEmbeddingOptions { Prompts = new Dictionary<string, string> { ["query"] = "b " } });
        Assert.Equal("b ", generator.PromptFor(null));                                   // default name, overridden text
        Assert.Equal("passage: ", generator.PromptFor(LocalEmbeddingGenerator.ForPassages()));   // "document" stands in
        var literal = new EmbeddingGenerationOptions { AdditionalProperties = new() { [LocalEmbeddingGenerator.PromptKey] = "a " } };
        Assert.Equal("a ", generator.PromptFor(literal));
        var unknown = new EmbeddingGenerationOptions { AdditionalProperties = new() { [LocalEmbeddingGenerator.PromptNameKey] = "classification" } };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Embed(generator, ["a"], unknown));
        Assert.Contains("classification", e.Message);

        using var plainFolder = new TempFolder();
        using var plain = Load(plainFolder, "mean");
        Assert.Null(plain.PromptFor(LocalEmbeddingGenerator.ForQueries()));   // no prompts: text as it is
    }

    [Fact]
    public async Task Inputs_are_truncated_to_max_seq_length_keeping_cls_and_sep()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean", maxSeqLength: 5);
        var text = TinyBert.Cases[2].Text;   // 10 tokens
        Assert.Equal([2, 16, 17, 8, 3], generator.Encoder.Tokenize(text));
        var truncated = (await Embed(generator, [text]))[0].Vector.ToArray();
        var shortText = (await Embed(generator, ["hold the reset"]))[0].Vector.ToArray();
        Assert.Equal(shortText, truncated);
        Assert.Equal(5, generator.Encoder.MaxSeqLength);
    }

    [Fact]
    public async Task Inputs_longer_than_the_positions_are_cut_to_max_position_embeddings()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean");   // no sentence_bert_config.json
        Assert.Equal(16, generator.Encoder.MaxSeqLength);
        var longText = string.Join(" ", Enumerable.Repeat("reset", 40));
        Assert.Equal(16, generator.Encoder.Tokenize(longText).Length);
        var embeddings = await Embed(generator, [longText]);
        Assert.Equal(32, embeddings[0].Vector.Length);
    }

    [Fact]
    public async Task Metadata_names_the_model_and_dimension_and_a_wrong_dimension_is_refused()
    {
        using var folder = new TempFolder();
        using var generator = Load(folder, "mean");
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(32, metadata.DefaultModelDimensions);
        Assert.Equal(Path.GetFileName(folder.Path), metadata.DefaultModelId);
        Assert.Equal(LocalEmbeddingGenerator.ProviderName, metadata.ProviderName);
        var embedding = (await Embed(generator, ["a"]))[0];
        Assert.Equal(metadata.DefaultModelId, embedding.ModelId);
        await Assert.ThrowsAsync<ArgumentException>(() => Embed(generator, ["a"], new EmbeddingGenerationOptions { Dimensions = 384 }));
    }

    [Fact]
    public async Task A_plain_bert_folder_gets_mean_pooling_without_normalisation()
    {
        using var generator = LocalEmbeddingGenerator.Load(TinyBert.ModelDir);
        var embeddings = await Embed(generator, Texts);
        for (var i = 0; i < Texts.Length; i++)
            Approx.Equal(TinyBert.Cases[i].Pooled["mean"], embeddings[i].Vector.ToArray().Select(x => (double)x).ToArray(), 2e-5);
    }

    [Fact]
    public void Concatenated_poolings_have_one_block_per_mode()
    {
        using var folder = new TempFolder();
        using var generator = LocalEmbeddingGenerator.Load(TinyBert.WriteSentenceTransformer(folder,
            """{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": true}"""));
        Assert.Equal(64, generator.Dimension);
        var v = generator.Encoder.Encode([Texts[0]], cancellationToken: TestContext.Current.CancellationToken).Vectors[0].Select(x => (double)x).ToArray();
        Approx.Equal(TinyBert.Cases[0].Pooled["cls"], v[..32], 2e-5);      // sentence-transformers' order: cls, then mean
        Approx.Equal(TinyBert.Cases[0].Pooled["mean"], v[32..], 2e-5);
    }

    [Fact]
    public void Unsupported_modules_and_pooling_are_clear_errors()
    {
        using var folder = new TempFolder();
        TinyBert.WriteSentenceTransformer(folder, TinyBert.Pooling("mean"));
        File.WriteAllText(folder.File("modules.json"), """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
             {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]
            """);
        var e = Assert.Throws<InvalidDataException>(() => SentenceTransformerConfig.Load(folder.Path));
        Assert.Contains("modules.json: module [2] type 'sentence_transformers.models.Dense' is not supported", e.Message);

        var weighted = Assert.Throws<InvalidDataException>(() => PoolingConfig.Parse("""{"pooling_mode_weightedmean_tokens": true}""", "1_Pooling/config.json"));
        Assert.StartsWith("1_Pooling/config.json: pooling_mode_weightedmean_tokens", weighted.Message);
        Assert.Throws<InvalidDataException>(() => PoolingConfig.Parse("""{"pooling_mode_mean_tokens": false}"""));
    }
}
