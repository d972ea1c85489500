using ChatPlatform.Llm.Peft;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Web.Admin.Training;

/// <summary>What the Training page's "Advanced" panel lets an admin change; the defaults are a sensible LoRA run.</summary>
public sealed class RetrainSettings
{
    public TrainingMethod Method { get; set; } = TrainingMethod.Lora;
    public int Epochs { get; set; } = 3;
    public double LearningRate { get; set; } = 2e-4;
    public int LoraRank { get; set; } = 16;
    public double LoraAlpha { get; set; } = 32;
    public int BatchSize { get; set; } = 4;
    public int MaxLength { get; set; } = 1024;
    /// <summary>A checkpoint every N optimizer steps (and at each epoch's end), so an interrupted run resumes close to where it stopped.</summary>
    public int CheckpointEverySteps { get; set; } = 50;

    /// <summary>The trainer's options for a run on <paramref name="baseModel"/>; validated by the trainer.</summary>
    public TrainingOptions ToTrainingOptions(string baseModel) => new()
    {
        Method = Method,
        Epochs = Epochs,
        LearningRate = LearningRate,
        BatchSize = BatchSize,
        MaxSequenceLength = MaxLength,
        SaveEverySteps = CheckpointEverySteps,
        Lora = new LoraConfig { R = LoraRank, Alpha = LoraAlpha, BaseModelNameOrPath = Path.GetFullPath(baseModel) },
    };
}
