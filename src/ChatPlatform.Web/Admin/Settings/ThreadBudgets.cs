using ChatPlatform.Torch;

namespace ChatPlatform.Web.Admin.Settings;

/// <summary>
/// The "Threads" section: libtorch intra-op threads for training jobs and for the serving thread, so serving keeps
/// answering while a training runs. libtorch's OpenMP thread count belongs to the thread that sets it (OpenMP keeps
/// nthreads-var per thread, and at::set_num_threads calls omp_set_num_threads), so each owner thread applies its own
/// budget: training jobs on their dedicated thread at start, the inference worker on its thread. Defaults split the
/// cores: inference gets half (at least 1), training the rest (at least 1). OpenBLAS's matmul pool is process-wide and
/// not divided by these (README, "Thread budgets").
/// </summary>
public sealed class ThreadBudgets
{
    public const string Section = "Threads";

    public int Training { get; set; } = DefaultTraining(Environment.ProcessorCount);
    public int Inference { get; set; } = DefaultInference(Environment.ProcessorCount);

    public static int DefaultInference(int cores) => Math.Max(1, cores / 2);

    public static int DefaultTraining(int cores) => Math.Max(1, cores - DefaultInference(cores));

    /// <summary>Sets libtorch's intra-op thread count for the calling thread (call it first thing on an owner thread).</summary>
    public static void ApplyToCurrentThread(int threads) => torch.set_num_threads(Math.Max(1, threads));

    public IEnumerable<string> Problems()
    {
        if (Training < 1) yield return $"{Section}:Training: must be at least 1, not {Training}";
        if (Inference < 1) yield return $"{Section}:Inference: must be at least 1, not {Inference}";
    }
}
