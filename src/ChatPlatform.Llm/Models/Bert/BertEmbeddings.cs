using ChatPlatform.Llm.Configuration;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Models.Bert;

/// <summary>BertEmbeddings: LayerNorm(word + absolute position + token type), dropout being off at inference.</summary>
public sealed class BertEmbeddings : torch.nn.Module
{
    private readonly torch.nn.Embedding word;
    private readonly torch.nn.Embedding position;
    private readonly torch.nn.Embedding tokenType;
    private readonly BertLayerNorm norm;

    internal BertEmbeddings(BertConfig config, BertWeights weights)
    {
        word = register_module("word_embeddings", new torch.nn.Embedding(weights.Load("embeddings.word_embeddings.weight"), requiresGrad: false));
        position = register_module("position_embeddings",
            new torch.nn.Embedding(weights.Load("embeddings.position_embeddings.weight"), requiresGrad: false));
        tokenType = register_module("token_type_embeddings",
            new torch.nn.Embedding(weights.Load("embeddings.token_type_embeddings.weight"), requiresGrad: false));
        norm = register_module("LayerNorm", weights.LayerNorm("embeddings.LayerNorm", config.LayerNormEps));
    }

    /// <param name="inputIds">(B, T) int64; every sequence starts at position 0 (right padding).</param>
    /// <returns>(B, T, C)</returns>
    public Tensor forward(Tensor inputIds)
    {
        var T = inputIds.size(1);
        var x = word.forward(inputIds);                        // (B, T, C)
        x = x + position.weight.narrow(0, 0, T);               // (T, C) broadcast over the batch
        // Single sentences have token_type_ids all 0 (segment A), so every token adds row 0.
        x = x + tokenType.weight.select(0, 0);                 // (C)
        return norm.forward(x);
    }
}
