using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatPlatform.Llm;
using ChatPlatform.Torch;
using ChatPlatform.Training.Data;
using ChatPlatform.Training.Evaluation;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Training;

/// <summary>
/// A whole fine-tuning run from files: read and validate the conversations, split, tokenize with the model's chat
/// template (assistant-only loss), batch, evaluate the base model, train, evaluate again, and write manifest.json
/// (options, hashes of the base model and data, seed, versions, data report, before/after metrics).
/// </summary>
public sealed class TrainingRun(string modelFolder, string dataFile, string? evalFile, string outputFolder, TrainingOptions options,
    bool packing = false, bool groupByLength = false, bool skipInvalid = false, Device? device = null, int generationEvalExamples = 16)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public TrainingResult Execute(IProgress<TrainingProgress>? progress = null, string? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var started = DateTimeOffset.UtcNow;
        var read = SftJsonl.ReadFile(dataFile, new SftReadOptions { SkipInvalid = skipInvalid });
        var evalRead = evalFile is null ? null : SftJsonl.ReadFile(evalFile, new SftReadOptions { SkipInvalid = skipInvalid });
        var split = TrainEvalSplit.Split(read.Examples, evalRead?.Examples, seed: options.Seed);
        if (split.Train.Count == 0) throw new InvalidDataException($"{dataFile}: no training examples");

        var sftTokenizer = SftTokenizer.FromModelFolder(modelFolder, new SftTokenizerOptions { MaxLength = options.MaxSequenceLength });
        var train = sftTokenizer.TokenizeAll(split.Train);
        var held = sftTokenizer.TokenizeAll(split.Eval);
        var batcher = new SftBatcher(train.Examples, new SftBatcherOptions
        {
            BatchSize = options.BatchSize, PadTokenId = sftTokenizer.PadTokenId, Seed = options.Seed, GroupByLength = groupByLength,
            PackedLength = packing ? options.MaxSequenceLength : null,
        });
        var evalBatches = held.Examples.Count == 0 ? [] : new SftBatcher(held.Examples,
            new SftBatcherOptions { BatchSize = options.BatchSize, PadTokenId = sftTokenizer.PadTokenId, Shuffle = false }).Batches(0).ToList();

        // Methods that update the base weights keep them in float32 (master weights; autocast lowers the products),
        // as AdamW updates smaller than bfloat16's resolution would be lost. Frozen bases load in the device default.
        var updatesBase = options.Method is TrainingMethod.Full or TrainingMethod.Freeze;
        using var model = LocalModel.Load(modelFolder, device, updatesBase ? ScalarType.Float32 : null);
        var trainer = new SftTrainer(model.Model, options, batcher, evalBatches, outputFolder);
        var generationSet = split.Eval.Take(generationEvalExamples).ToList();
        var before = resumeFrom is null ? Evaluate(trainer, model, generationSet, cancellationToken) : null;

        var manifest = new Dictionary<string, object?>
        {
            ["chatplatform_version"] = typeof(TrainingRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["dotnet_version"] = Environment.Version.ToString(),
            ["libtorch_version"] = torch.LibTorchVersion.ToString(),
            ["device"] = (device ?? Device.CPU).ToString(),
            ["started_utc"] = started,
            ["options"] = options,
            ["packing"] = packing,
            ["group_by_length"] = groupByLength,
            ["base_model"] = new { path = Path.GetFullPath(modelFolder), files = HashFiles(modelFolder) },
            ["data"] = new
            {
                train_file = Path.GetFullPath(dataFile), train_sha256 = Sha256(dataFile), eval_file = evalFile is null ? null : Path.GetFullPath(evalFile),
                eval_sha256 = evalFile is null ? null : Sha256(evalFile), report = read.Report, eval_report = evalRead?.Report,
                train_examples = train.Examples.Count, eval_examples = held.Examples.Count, truncated = train.Truncated + held.Truncated,
                dropped = train.Dropped.Concat(held.Dropped).ToList(),
            },
            ["eval_before"] = before,
        };
        Directory.CreateDirectory(outputFolder);
        WriteManifest(manifest);

        var result = trainer.Run(progress, cancellationToken, resumeFrom);
        if (!result.Cancelled && options.Method is TrainingMethod.Full or TrainingMethod.Freeze)
        {
            // Full and top-layer runs change the model itself: write it as a standalone Hugging Face folder.
            var exported = Path.Combine(outputFolder, "model");
            if (Directory.Exists(exported)) Directory.Delete(exported, recursive: true);
            Llm.Export.HfModelExport.Write(model.Model, modelFolder, exported, Llm.Export.HfModelExport.StoredDtype(modelFolder));
            manifest["model_folder"] = exported;
        }
        manifest["finished_utc"] = DateTimeOffset.UtcNow;
        manifest["result"] = result;
        if (!result.Cancelled) manifest["eval_after"] = Evaluate(trainer, model, generationSet, cancellationToken);
        WriteManifest(manifest);
        return result;
    }

    private static object Evaluate(SftTrainer trainer, LocalModel model, IReadOnlyList<SftExample> examples, CancellationToken ct)
    {
        var loss = trainer.EvalLoss();
        var generation = examples.Count > 0 ? GenerationEvaluation.Run(model, examples, cancellationToken: ct) : null;
        return new { eval_loss = loss, perplexity = Math.Exp(loss), generation };
    }

    private void WriteManifest(Dictionary<string, object?> manifest)
    {
        Llm.IO.AtomicFile.WriteAllText(Path.Combine(outputFolder, "manifest.json"), JsonSerializer.Serialize(manifest, Json));
    }

    private static List<object> HashFiles(string folder) =>
        Directory.GetFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => (object)new { name = Path.GetFileName(f), bytes = new FileInfo(f).Length, sha256 = Sha256(f) }).ToList();

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
