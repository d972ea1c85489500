using System.Text;
using System.Text.Json;
using ChatPlatform.Core.Review;
using ChatPlatform.Core.Storage;
using ChatPlatform.Llm.IO;
using ChatPlatform.Rag.Indexing;
using ChatPlatform.Training.Pretraining;
using ChatPlatform.Training.Trainer;
using ChatPlatform.Web.Admin.Jobs;
using ChatPlatform.Web.Admin.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin.Starter;

/// <summary>The starter model's size and schedule; the defaults finish in a few minutes on two CPU cores.</summary>
public sealed record StarterModelSettings(string Preset = "nano", int Epochs = 6, int BatchSize = 8, int BlockLength = 256, double LearningRate = 2e-3);

/// <summary>
/// The offline starter model: a small Llama pretrained from scratch on the knowledge base's text by the same
/// <see cref="PretrainingRun"/> that `chatplatform pretrain` runs, as a training job (one at a time with Retrain). The
/// corpus is every chunk of every document (one document per paragraph block), the tokenizer a byte-level one made here
/// (<see cref="StarterTokenizer"/>). When done, DATA_DIR/starter/run/model becomes Platform:BaseModel in settings.json,
/// so review → Retrain → activate → chat can be tried with no download. It knows the knowledge's words, not how to chat:
/// Retrain on approved examples teaches it the format.
/// </summary>
public sealed class StarterModel(JobRunner jobs, KnowledgeStore knowledge, SettingsEditor settings, IDbContextFactory<PlatformDbContext> contexts,
    IOptionsMonitor<PlatformOptions> platform, IOptionsMonitor<ThreadBudgets> threads)
{
    public const string PayloadMarker = "starter-model";

    public string Folder => Path.Combine(platform.CurrentValue.FullDataDirectory, "starter");
    public string RunFolder => Path.Combine(Folder, "run");
    public string ModelFolder => Path.Combine(RunFolder, "model");
    public bool Exists => File.Exists(Path.Combine(ModelFolder, "config.json"));

    /// <summary>Why the starter model cannot be made now, or null.</summary>
    public string? Unavailable => knowledge.ListDocuments().Count == 0
        ? "Upload some knowledge first: the starter model learns from the knowledge base's text."
        : null;

    /// <summary>Queues the pretraining job; returns its id.</summary>
    public async Task<long> StartAsync(string actor, StarterModelSettings? size = null, CancellationToken ct = default)
    {
        if (Unavailable is { } why) throw new InvalidOperationException(why);
        var s = size ?? new StarterModelSettings();
        if (!ModelPresets.All.ContainsKey(s.Preset)) throw new ArgumentException($"preset: '{s.Preset}' is not one of {string.Join(", ", ModelPresets.All.Keys)}");
        await using (var db = await contexts.CreateDbContextAsync(ct))
            await Audit.WriteAsync(db, actor, "starter-model.start", "starter-model", s, ct);
        return await jobs.EnqueueAsync(JobKinds.Training, new { kind = PayloadMarker, s.Preset, s.Epochs }, actor, context => RunAsync(context, s, actor), ct);
    }

    private async Task<string?> RunAsync(JobContext context, StarterModelSettings s, string actor)
    {
        context.Report(0, "writing the corpus and tokenizer");
        var corpus = Path.Combine(Folder, "corpus.txt");
        var documents = WriteCorpus(corpus);
        var tokenizer = Path.Combine(Folder, "tokenizer");
        StarterTokenizer.Write(tokenizer);
        if (Directory.Exists(RunFolder)) Directory.Delete(RunFolder, recursive: true);

        var options = new TrainingOptions
        {
            Method = TrainingMethod.Full, Epochs = s.Epochs, LearningRate = s.LearningRate, BatchSize = s.BatchSize, MaxSequenceLength = s.BlockLength,
            WarmupRatio = 0.05, WeightDecay = 0.1, AdamBeta2 = 0.95, KeepCheckpoints = 1,
        };
        var run = new PretrainingRun(tokenizer, corpus, RunFolder, s.Preset, options);
        var progress = new InlineProgress(p => context.Report(p.TotalSteps == 0 ? 0 : 0.98 * p.Step / p.TotalSteps,
            p.Loss is { } loss ? $"pretraining: step {p.Step}/{p.TotalSteps}, loss {loss:0.000}" : $"pretraining: step {p.Step}/{p.TotalSteps}"));
        var trainingThreads = threads.CurrentValue.Training;
        var result = await Task.Factory.StartNew(() =>
        {
            ThreadBudgets.ApplyToCurrentThread(trainingThreads);
            return run.Execute(progress, cancellationToken: context.CancellationToken);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        context.CancellationToken.ThrowIfCancellationRequested();
        if (result.Cancelled) throw new OperationCanceledException(context.CancellationToken);

        // Turns end with <|im_end|> once Retrain teaches the chat format; generation stops there as at </s>.
        AtomicFile.WriteAllText(Path.Combine(ModelFolder, "generation_config.json"), JsonSerializer.Serialize(new
        {
            bos_token_id = 256, eos_token_id = new[] { 257, 259 }, do_sample = false,
        }));
        var errors = await settings.SaveAsync(new Dictionary<string, string?> { ["Platform:BaseModel"] = ModelFolder }, actor, context.CancellationToken);
        if (errors.Count > 0) throw new InvalidOperationException($"the starter model is in {ModelFolder} but could not be made the base model: {string.Join("; ", errors)}");
        context.Report(1, $"done: {result.Steps} steps, loss {result.FinalLoss:0.000}; {ModelFolder} is now the base model for Retrain");
        return JsonSerializer.Serialize(new { model = ModelFolder, documents, result.Steps, result.FinalLoss, result.FinalEvalLoss });
    }

    /// <summary>The knowledge base's text, one block per chunk (blank lines inside a chunk collapsed so a chunk stays one document).</summary>
    private int WriteCorpus(string path)
    {
        var text = new StringBuilder();
        var count = 0;
        foreach (var document in knowledge.ListDocuments())
        {
            count++;
            foreach (var chunk in knowledge.GetDocumentChunks(document.Id))
            {
                var lines = chunk.Text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                text.Append(string.Join('\n', lines)).Append("\n\n");
            }
        }
        AtomicFile.WriteAllText(path, text.ToString());
        return count;
    }

    /// <summary>Reports on the training thread (Progress&lt;T&gt; would post to the pool and could reorder events).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
