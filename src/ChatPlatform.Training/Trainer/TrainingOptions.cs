using ChatPlatform.Llm.Peft;
using ChatPlatform.Torch;

namespace ChatPlatform.Training.Trainer;

public enum TrainingMethod
{
    /// <summary>Low-rank adapters on the chosen linear layers; the base model is frozen.</summary>
    Lora,

    /// <summary>Every parameter is trained.</summary>
    Full,

    /// <summary>Only the top <see cref="TrainingOptions.TrainTopLayers"/> decoder layers (and the final norm) are trained.</summary>
    Freeze,

    /// <summary>Learned virtual-token embeddings before every input (prompt tuning); the model is frozen.</summary>
    Prompt,

    /// <summary>Learned per-layer keys and values of virtual tokens (prefix tuning); the model is frozen.</summary>
    Prefix,
}

/// <summary>Precision of the forward pass's matrix products while training.</summary>
public enum MixedPrecision
{
    /// <summary>bfloat16 autocast on CUDA, float32 on the CPU (CPUs rarely have fast bfloat16 products).</summary>
    Auto,

    /// <summary>Everything in the model's dtype.</summary>
    Off,

    /// <summary>bfloat16 autocast: products in bfloat16, weights, gradients and optimizer state in float32.</summary>
    BFloat16,
}

/// <summary>Everything that decides a training run; written to the run manifest as is.</summary>
public sealed record TrainingOptions
{
    public TrainingMethod Method { get; init; } = TrainingMethod.Lora;
    public LoraConfig Lora { get; init; } = new();
    public int TrainTopLayers { get; init; } = 2;
    /// <summary>Gradual unfreezing (Howard &amp; Ruder 2018, ULMFiT) with <see cref="TrainingMethod.Freeze"/>: every N epochs
    /// one more decoder layer below the trained ones joins them (0 = off).</summary>
    public int UnfreezeEveryEpochs { get; init; }
    /// <summary>Virtual tokens of prompt and prefix tuning.</summary>
    public int VirtualTokens { get; init; } = 20;
    public int Epochs { get; init; } = 3;
    public double LearningRate { get; init; } = 2e-4;
    public double WarmupRatio { get; init; } = 0.03;
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;
    public int BatchSize { get; init; } = 4;
    public int GradientAccumulationSteps { get; init; } = 1;
    public double MaxGradNorm { get; init; } = 1.0;
    public double WeightDecay { get; init; } = 0.0;
    public double AdamBeta1 { get; init; } = 0.9;
    public double AdamBeta2 { get; init; } = 0.999;
    public int MaxSequenceLength { get; init; } = 1024;
    public long Seed { get; init; } = 42;
    /// <summary>Evaluate every N optimizer steps (0 = only at the end of each epoch).</summary>
    public int EvalEverySteps { get; init; }
    /// <summary>Write a checkpoint every N optimizer steps (0 = only at the end of each epoch).</summary>
    public int SaveEverySteps { get; init; }
    /// <summary>Stop when eval loss has not improved for this many evaluations (0 = never stop early).</summary>
    public int EarlyStoppingPatience { get; init; }
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>
    /// Keep only each decoder layer's input during the forward pass and recompute layers in the backward pass
    /// (activation checkpointing): far less memory for about one more forward pass of compute.
    /// </summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>Autocast of forward passes (bfloat16 products over float32 master weights on CUDA by default).</summary>
    public MixedPrecision MixedPrecision { get; init; } = MixedPrecision.Auto;

    /// <summary>The autocast dtype on <paramref name="device"/>, or null for none.</summary>
    public ScalarType? AutocastDtype(Device device) => MixedPrecision switch
    {
        MixedPrecision.BFloat16 => ScalarType.BFloat16,
        MixedPrecision.Auto when device.Type == DeviceType.CUDA => ScalarType.BFloat16,
        _ => null,
    };

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be >= 1");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be > 0");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be >= 1");
        if (GradientAccumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(GradientAccumulationSteps), GradientAccumulationSteps, "gradient accumulation must be >= 1");
        if (WarmupRatio is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(WarmupRatio), WarmupRatio, "warmup ratio must be in [0, 1)");
        if (MaxSequenceLength < 2) throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), MaxSequenceLength, "max sequence length must be >= 2");
        if (Method == TrainingMethod.Lora) Lora.Validate();
    }
}
