using ChatPlatform.Llm.Models.Bert;
using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Embeddings;

/// <summary>
/// A sentence-transformers model on the engine: tokenize (prompt prepended, truncated to max_seq_length), run the BERT
/// encoder in batches, pool, normalise. Synchronous and tensor-free at its surface; call it from one thread at a time
/// (<see cref="LocalEmbeddingGenerator"/> does).
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    public SentenceEncoder(BertModel model, HfTokenizer tokenizer, SentenceTransformerConfig config, string modelId)
    {
        Model = model;
        Tokenizer = tokenizer;
        Config = config;
        ModelId = modelId;
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new InvalidDataException(
                $"{modelId}: tokenizer.json has ids up to {tokenizer.VocabSize - 1}, beyond the model's vocab_size ({model.Config.VocabSize})");
        var limit = model.Config.MaxPositionEmbeddings;
        MaxSeqLength = Math.Min(config.MaxSeqLength ?? limit, limit);
        Dimension = model.Config.HiddenSize * config.Pooling.ModeCount;
    }

    public BertModel Model { get; }
    public HfTokenizer Tokenizer { get; }
    public SentenceTransformerConfig Config { get; }
    public string ModelId { get; }
    /// <summary>Tokens per input, special tokens included; longer inputs are truncated (their end is dropped).</summary>
    public int MaxSeqLength { get; }
    /// <summary>Length of every embedding.</summary>
    public int Dimension { get; }

    /// <summary>
    /// Loads a sentence-transformers (or plain BERT) folder. dtype defaults to float32 on the CPU and float16 on CUDA.
    /// </summary>
    public static SentenceEncoder Load(string folder, Device? device = null, ScalarType? dtype = null)
    {
        var config = SentenceTransformerConfig.Load(folder);
        var d = device ?? Device.CPU;
        var type = dtype ?? (d.Type == DeviceType.CUDA ? ScalarType.Float16 : ScalarType.Float32);
        var tokenizer = HfTokenizer.FromDirectory(config.TransformerFolder);
        var model = BertModel.FromFolder(config.TransformerFolder, type, d);
        try
        {
            return new SentenceEncoder(model, tokenizer, config, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The token ids the model sees for <paramref name="text"/> with <paramref name="prompt"/> prepended.</summary>
    public int[] Tokenize(string text, string? prompt = null) => Tokenizer.Encode(prompt + text, MaxSeqLength);

    /// <summary>
    /// One embedding per text, in order, each <see cref="Dimension"/> long. Texts are sorted by length and run in batches
    /// of <paramref name="batchSize"/>, each padded to its longest member, so little compute goes to padding.
    /// </summary>
    public EncodeResult Encode(IReadOnlyList<string> texts, string? prompt = null, int batchSize = 32,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var ids = texts.Select(t => Tokenize(t ?? throw new ArgumentException("texts may not contain null"), prompt)).ToArray();
        var vectors = new float[ids.Length][];
        var order = Enumerable.Range(0, ids.Length).OrderByDescending(i => ids[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
            var rows = EncodeBatch(batch.Select(i => ids[i]).ToArray());
            for (var b = 0; b < batch.Length; b++) vectors[batch[b]] = rows[b];
        }
        return new EncodeResult(vectors, ids.Sum(i => i.Length));
    }

    /// <summary>Embeddings of already tokenized inputs, run as one right-padded batch.</summary>
    public float[][] EncodeBatch(IReadOnlyList<int[]> batch)
    {
        var B = batch.Count;
        if (B == 0) return [];
        var T = batch.Max(s => s.Length);
        var flatIds = new long[B * T];
        var flatMask = new bool[B * T];
        for (var b = 0; b < B; b++)
        {
            for (var t = 0; t < batch[b].Length; t++)
            {
                flatIds[b * T + t] = batch[b][t];
                flatMask[b * T + t] = true;
            }
            // the rest stays [PAD]-free zeros: masked out of attention and pooling, so its id does not matter
        }
        using var scope = torch.NewDisposeScope();
        using var _ = torch.inference_mode();
        var device = Model.Device;
        var inputIds = torch.tensor(flatIds, [B, T], device);                     // (B, T)
        var mask = torch.tensor(flatMask, [B, T], device);                        // (B, T)
        var hidden = Model.forward(inputIds, mask);                               // (B, T, C)
        var pooled = Pooling.Pool(hidden, mask, Config.Pooling);                  // (B, D)
        if (Config.Normalize) pooled = Pooling.Normalize(pooled);
        var flat = pooled.to(ScalarType.Float32, Device.CPU).data<float>();
        var D = flat.Length / B;
        var rows = new float[B][];
        for (var b = 0; b < B; b++) rows[b] = flat.AsSpan(b * D, D).ToArray();
        return rows;
    }

    public void Dispose() => Model.Dispose();
}

/// <summary>Embeddings in input order and the number of tokens the model read for them.</summary>
public sealed record EncodeResult(float[][] Vectors, int TokenCount);
