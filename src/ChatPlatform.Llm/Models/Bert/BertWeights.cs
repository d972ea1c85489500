using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>
/// Reads BertModel weights by transformers' names ("embeddings.word_embeddings.weight", "encoder.layer.0..."), whether the
/// checkpoint stores them bare (sentence-transformers, BertModel.save_pretrained) or under "bert." (BertForMaskedLM,
/// BertForSequenceClassification). LayerNorm parameters saved by old TensorFlow ports as gamma/beta are accepted too,
/// as transformers' loader renames them. Weights the encoder does not use (pooler, MLM head) are left unread.
/// </summary>
internal sealed class BertWeights(IWeightSource source, string prefix, ScalarType dtype, Device device)
{
    private const string Probe = "embeddings.word_embeddings.weight";

    public static BertWeights For(IWeightSource source, ScalarType dtype, Device device)
    {
        if (source.Contains(Probe)) return new BertWeights(source, "", dtype, device);
        if (source.Contains("bert." + Probe)) return new BertWeights(source, "bert.", dtype, device);
        throw new InvalidDataException($"the checkpoint has no BERT weights: neither '{Probe}' nor 'bert.{Probe}' is in it");
    }

    public string Prefix => prefix;

    /// <summary>Loads one weight (caller owns it) by its BertModel name.</summary>
    public Tensor Load(string name)
    {
        var full = prefix + name;
        if (source.Contains(full)) return source.Load(full, dtype, device);
        var legacy = name.EndsWith(".LayerNorm.weight", StringComparison.Ordinal) ? full[..^".weight".Length] + ".gamma"
            : name.EndsWith(".LayerNorm.bias", StringComparison.Ordinal) ? full[..^".bias".Length] + ".beta"
            : null;
        if (legacy is not null && source.Contains(legacy)) return source.Load(legacy, dtype, device);
        throw new InvalidDataException($"the checkpoint has no BERT weight '{full}'");
    }

    public torch.nn.Linear Linear(string name) => new(Load(name + ".weight"), Load(name + ".bias"), requiresGrad: false);

    public BertLayerNorm LayerNorm(string name, double eps) => new(Load(name + ".weight"), Load(name + ".bias"), eps);
}
