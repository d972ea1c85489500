using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>
/// The BERT encoder (transformers' BertModel without its pooler): embeddings and a stack of post-LN bidirectional
/// layers, giving one hidden state per token. Embedding models (all-MiniLM, bge, e5, gte) pool these into sentence
/// vectors (see <see cref="Embeddings.SentenceEncoder"/>). Inference only: every weight is frozen.
/// </summary>
public sealed class BertModel : torch.nn.Module
{
    private readonly BertEmbeddings embeddings;
    private readonly torch.nn.ModuleList<BertLayer> layers;

    public BertModel(BertConfig config, IWeightSource weights, ScalarType dtype, Device device)
    {
        Config = config;
        DType = dtype;
        Device = device;
        var named = BertWeights.For(weights, dtype, device);
        embeddings = register_module("embeddings", new BertEmbeddings(config, named));
        layers = new torch.nn.ModuleList<BertLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(i => new BertLayer(config, named, i)));
        register_module("encoder", new ModuleGroup().Add("layer", layers));
        eval();
    }

    public BertConfig Config { get; }
    public ScalarType DType { get; }
    public Device Device { get; }

    /// <summary>Loads config.json and the safetensors weights (single file or shards) of a Hugging Face folder.</summary>
    public static BertModel FromFolder(string folder, ScalarType dtype, Device device)
    {
        var config = BertConfig.Load(Path.Combine(folder, BertConfig.FileName));
        using var weights = SafeTensorsCheckpoint.Open(folder);
        return new BertModel(config, weights, dtype, device);
    }

    /// <summary>Last hidden states (B, T, C) for token ids (B, T) int64 and <paramref name="attentionMask"/> (B, T) bool,
    /// true for real tokens and false for right padding.</summary>
    public Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        var T = inputIds.size(1);
        if (T > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"{T} tokens exceed the model's max_position_embeddings ({Config.MaxPositionEmbeddings})");
        var keyMask = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1);   // (B, 1, 1, T)
        var x = embeddings.forward(inputIds);                                        // (B, T, C)
        for (var i = 0; i < layers.Count; i++)
        {
            // A scope per layer frees its temporaries at once.
            using var scope = torch.NewDisposeScope();
            x = scope.MoveToOuter(layers[i].forward(x, keyMask));
        }
        return x;
    }
}
