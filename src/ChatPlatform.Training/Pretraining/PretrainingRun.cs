using System.Security.Cryptography;
using System.Text.Json;
using ChatPlatform.Llm.Export;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Training.Pretraining;

/// <summary>
/// Trains a new small Llama from scratch on raw text (documents separated by blank lines), with loss on every token:
/// each document is encoded with the tokenizer's special tokens (BOS) plus EOS, the documents are concatenated and
/// cut into blocks of the sequence length, 10% of the blocks are held out. The result is a Hugging Face folder
/// (out/model: config.json, model.safetensors, the tokenizer's files) the rest of the platform loads like any model.
/// </summary>
public sealed class PretrainingRun(string tokenizerFolder, string textFile, string outputFolder, string preset, TrainingOptions options,
    Device? device = null)
{
    private static readonly string[] TokenizerFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

    public TrainingResult Execute(IProgress<TrainingProgress>? progress = null, string? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        var tokenizer = HfTokenizer.FromDirectory(tokenizerFolder);
        var config = ModelPresets.Create(preset, tokenizer.VocabSize, tokenizer.BosTokenId, tokenizer.EosTokenId);
        var blockLength = Math.Min(options.MaxSequenceLength, config.MaxPositionEmbeddings);

        var ids = new List<int>();
        var documents = 0;
        foreach (var document in File.ReadAllText(textFile).Split(["\n\n", "\r\n\r\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ids.AddRange(tokenizer.Encode(document));
            if (tokenizer.EosTokenId is { } eos) ids.Add(eos);
            documents++;
        }
        var blocks = ids.Chunk(blockLength).Where(b => b.Length > 1).Select(b => new TokenizedExample(b, b, false)).ToList();
        if (blocks.Count < 2) throw new InvalidDataException($"{textFile}: {ids.Count} tokens make fewer than 2 blocks of {blockLength}; give more text or a smaller --max-length");
        var split = TrainEvalSplit.Split(blocks, seed: options.Seed);
        var batcher = new SftBatcher(split.Train, new SftBatcherOptions { BatchSize = options.BatchSize, PadTokenId = tokenizer.EosTokenId ?? 0, Seed = options.Seed });
        var evalBatches = new SftBatcher(split.Eval, new SftBatcherOptions { BatchSize = options.BatchSize, PadTokenId = tokenizer.EosTokenId ?? 0, Shuffle = false })
            .Batches(0).ToList();

        using var generator = new Generator(options.Seed);
        using var model = new LlamaForCausalLM(config, new RandomInitWeights(config, generator), ScalarType.Float32, device ?? Device.CPU);
        var trainer = new SftTrainer(model, options with { Method = TrainingMethod.Full }, batcher, evalBatches, outputFolder);
        var result = trainer.Run(progress, cancellationToken, resumeFrom);
        if (result.Cancelled) return result;

        var staging = Path.Combine(outputFolder, "model.staging");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "config.json"), ModelPresets.ToConfigJson(config));
        foreach (var name in TokenizerFiles.Where(n => File.Exists(Path.Combine(tokenizerFolder, n))))
            File.Copy(Path.Combine(tokenizerFolder, name), Path.Combine(staging, name));
        var exported = Path.Combine(outputFolder, "model");
        if (Directory.Exists(exported)) Directory.Delete(exported, recursive: true);
        HfModelExport.Write(model, staging, exported, ScalarType.Float32);
        Directory.Delete(staging, recursive: true);

        using var text = File.OpenRead(textFile);
        Llm.IO.AtomicFile.WriteAllText(Path.Combine(outputFolder, "manifest.json"), JsonSerializer.Serialize(new
        {
            kind = "pretraining", preset, parameters = model.parameters().Sum(p => p.numel()), options, text_file = Path.GetFullPath(textFile),
            text_sha256 = Convert.ToHexStringLower(SHA256.HashData(text)), documents, tokens = ids.Count, block_length = blockLength,
            train_blocks = split.Train.Count, eval_blocks = split.Eval.Count, result, model_folder = exported,
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return result;
    }
}
