using ChatPlatform.Llm.Models;
using ChatPlatform.Llm.Models.Bert;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Llm.Tests.Models;
using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Models.Bert;

/// <summary>The BERT encoder against an independent re-typing of transformers' BertModel (reference/make_bert_reference.py).</summary>
public sealed class BertModelTests
{
    private static BertConfig Config => BertConfig.Load(Path.Combine(TinyBert.ModelDir, "config.json"));

    [Fact]
    public void Tokenizer_gives_the_reference_ids()
    {
        var tokenizer = HfTokenizer.FromDirectory(TinyBert.ModelDir);
        foreach (var c in TinyBert.Cases) Assert.Equal(c.InputIds, tokenizer.Encode(c.Text));
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-9)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void Padded_batch_matches_the_reference_hidden_states(ScalarType dtype, double tolerance)
    {
        using var model = BertModel.FromFolder(TinyBert.ModelDir, dtype, Device.CPU);
        using var scope = torch.NewDisposeScope();
        var cases = TinyBert.Cases;
        var T = cases.Max(c => c.InputIds.Length);
        var ids = new long[cases.Count * T];
        var mask = new bool[cases.Count * T];
        for (var b = 0; b < cases.Count; b++)
            for (var t = 0; t < cases[b].InputIds.Length; t++)
            {
                ids[b * T + t] = cases[b].InputIds[t];
                mask[b * T + t] = true;
            }
        var hidden = model.forward(torch.tensor(ids, [cases.Count, T]), torch.tensor(mask, [cases.Count, T]));
        Assert.Equal([cases.Count, T, 32L], hidden.shape);
        for (var b = 0; b < cases.Count; b++)
        {
            var n = cases[b].InputIds.Length;
            var expected = cases[b].LastHiddenState.SelectMany(row => row).ToArray();
            Approx.Equal(expected, hidden.select(0, b).narrow(0, 0, n), tolerance);
        }
    }

    [Fact]
    public void Weights_under_a_bert_prefix_and_legacy_gamma_beta_names_load_the_same_model()
    {
        using var checkpoint = SafeTensorsCheckpoint.Open(TinyBert.ModelDir);
        using var renamed = new InMemoryWeights();
        foreach (var name in checkpoint.Names)
        {
            var legacy = name.Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta");
            renamed.Tensors["bert." + legacy] = checkpoint.Load(name, ScalarType.Float64, Device.CPU);
        }
        using var bare = new BertModel(Config, checkpoint, ScalarType.Float64, Device.CPU);
        using var prefixed = new BertModel(Config, renamed, ScalarType.Float64, Device.CPU);
        using var scope = torch.NewDisposeScope();
        var ids = torch.tensor(TinyBert.Cases[0].InputIds.Select(i => (long)i).ToArray(), [1, TinyBert.Cases[0].InputIds.Length]);
        var mask = torch.ones([1, ids.size(1)], ScalarType.Bool);
        Approx.Equal(Approx.Values(bare.forward(ids, mask)), prefixed.forward(ids, mask), 0);
        Assert.Contains(bare.named_parameters(), p => p.name == "encoder.layer.1.attention.self.query.weight");
        Assert.Contains(bare.named_parameters(), p => p.name == "encoder.layer.0.output.LayerNorm.bias");
    }

    [Fact]
    public void A_checkpoint_without_bert_weights_is_a_clear_error()
    {
        using var empty = new InMemoryWeights();
        empty.Tensors["model.embed_tokens.weight"] = torch.zeros([40, 32]).LeaveDisposeScope();
        var e = Assert.Throws<InvalidDataException>(() => new BertModel(Config, empty, ScalarType.Float32, Device.CPU));
        Assert.Contains("embeddings.word_embeddings.weight", e.Message);
    }

    [Fact]
    public void More_tokens_than_positions_is_refused()
    {
        using var model = BertModel.FromFolder(TinyBert.ModelDir, ScalarType.Float32, Device.CPU);
        using var scope = torch.NewDisposeScope();
        var T = Config.MaxPositionEmbeddings + 1;
        var e = Assert.Throws<ArgumentException>(() =>
            model.forward(torch.zeros([1, T], ScalarType.Int64), torch.ones([1, T], ScalarType.Bool)));
        Assert.Contains("max_position_embeddings", e.Message);
    }
}
