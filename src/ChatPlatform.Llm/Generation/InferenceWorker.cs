using System.Threading.Channels;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// The one thread that runs a model. Requests arrive as typed jobs on a channel (already templated and tokenized:
/// no text or JSON reaches the engine), and tokens go back on each job's own channel. One owner thread keeps
/// dispose scopes and inference mode thread-local and stops requests from fighting over the cores.
/// <para>
/// Concurrent requests are decoded together (<see cref="DecodeBatch"/>): between two steps the thread admits waiting
/// requests (each prefilled into its own row, up to <see cref="MaxBatchSize"/> in the batch; more wait on the channel), drops
/// cancelled ones, then decodes one token for every request in one forward pass. A request's tokens do not depend on
/// what else is in the batch.
/// </para>
/// </summary>
public sealed class InferenceWorker : IDisposable
{
    /// <summary>Requests decoded together at most, unless the constructor says otherwise.</summary>
    public const int DefaultMaxBatchSize = 16;

    /// <summary>Memory for recent prompts' keys and values (<see cref="PromptPrefixCache"/>), unless the constructor says otherwise.</summary>
    public const long DefaultPromptCacheBytes = PromptPrefixCache.DefaultBudgetBytes;

    private readonly Channel<Job> jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<BatchSequence, Job> running = [];
    private readonly DecodeBatch batch;
    private readonly LlamaForCausalLM model;
    private readonly int? threads;
    private readonly Thread thread;

    /// <param name="maxBatchSize">requests decoded together at most; each holds one row of the shared KV cache.</param>
    /// <param name="threads">
    /// The engine's intra-op threads on this thread (libtorch's OpenMP count is per calling thread), so serving can keep
    /// a share of the cores while training runs elsewhere; null leaves the engine's default.
    /// </param>
    /// <param name="promptCacheBytes">memory for recent prompts' keys and values, reused by prompts that start alike; 0 for none.</param>
    public InferenceWorker(LlamaForCausalLM model, int maxBatchSize = DefaultMaxBatchSize, int? threads = null,
        long promptCacheBytes = DefaultPromptCacheBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread");
        this.model = model;
        this.threads = threads;
        batch = new DecodeBatch(model, maxBatchSize, promptCacheBytes);
        thread = new Thread(Run) { IsBackground = true, Name = "chatplatform-inference" };
        thread.Start();
    }

    public int MaxBatchSize => batch.MaxSequences;

    /// <summary>
    /// A generated token, or the end of the sequence with its reason and how many prompt tokens the prompt cache
    /// supplied (OpenAI's usage.prompt_tokens_details.cached_tokens).
    /// </summary>
    public readonly record struct TokenEvent(int TokenId, FinishReason Finish, int CachedPromptTokens = 0);

    /// <summary>Queues one prompt; tokens stream back until a stop, the budget, or cancellation (checked every token).</summary>
    public ChannelReader<TokenEvent> Submit(int[] promptIds, int maxNewTokens, SamplingOptions sampling, IReadOnlySet<int> stopTokenIds,
        CancellationToken cancellationToken)
    {
        var output = Channel.CreateUnbounded<TokenEvent>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
        if (!jobs.Writer.TryWrite(new Job(promptIds, maxNewTokens, sampling, stopTokenIds, output.Writer, cancellationToken)))
            throw new ObjectDisposedException(nameof(InferenceWorker));
        return output.Reader;
    }

    private sealed record Job(int[] Prompt, int MaxNewTokens, SamplingOptions Sampling, IReadOnlySet<int> StopTokenIds,
        ChannelWriter<TokenEvent> Output, CancellationToken Cancellation);

    private void Run()
    {
        if (threads is { } count) torch.set_num_threads(count);
        while (true)
        {
            // Idle: block until a request comes (false once disposed and drained). Busy: only take what is waiting.
            if (batch.Count == 0 && !jobs.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
            while (!batch.IsFull && jobs.Reader.TryRead(out var job)) Admit(job);
            try
            {
                foreach (var sequence in batch.Sequences.ToList())
                    if (running[sequence].Cancellation.IsCancellationRequested)
                    {
                        sequence.Finish(FinishReason.Cancelled);
                        End(sequence);
                    }
                if (batch.Count > 0) Step();
            }
            catch (Exception e)
            {
                // A failed forward pass or cache move (e.g. out of memory) leaves the shared cache in doubt: every
                // request in it fails, and the thread goes on serving new ones.
                FailAll(e);
            }
        }
    }

    private void Admit(Job job)
    {
        if (job.Cancellation.IsCancellationRequested)
        {
            job.Output.TryComplete(new OperationCanceledException(job.Cancellation));
            return;
        }
        try
        {
            var sequence = new BatchSequence(model, job.Prompt, job.MaxNewTokens, job.Sampling, job.StopTokenIds);
            var emitted = batch.Add(sequence);
            if (emitted) job.Output.TryWrite(new TokenEvent(sequence.LastToken, FinishReason.None));
            if (sequence.IsDone) Complete(job, sequence);
            else running.Add(sequence, job);
        }
        catch (Exception e)
        {
            job.Output.TryComplete(e);  // the caller's stream rethrows it
        }
    }

    private void Step()
    {
        var emitted = batch.Step();
        var sequences = batch.Sequences.ToList();
        for (var r = 0; r < sequences.Count; r++)
        {
            var sequence = sequences[r];
            if (emitted[r]) running[sequence].Output.TryWrite(new TokenEvent(sequence.LastToken, FinishReason.None));
            if (sequence.IsDone) End(sequence);
        }
    }

    private void FailAll(Exception e)
    {
        foreach (var job in running.Values) job.Output.TryComplete(e);
        running.Clear();
        batch.Clear();
    }

    /// <summary>Takes a finished sequence out of the batch and ends its stream.</summary>
    private void End(BatchSequence sequence)
    {
        batch.Remove(sequence);
        var job = running[sequence];
        running.Remove(sequence);
        Complete(job, sequence);
    }

    private static void Complete(Job job, BatchSequence sequence)
    {
        job.Output.TryWrite(new TokenEvent(-1, sequence.Reason, sequence.CachedPromptTokens));
        job.Output.TryComplete();
    }

    public void Dispose()
    {
        jobs.Writer.TryComplete();
        thread.Join();
        batch.Dispose();
    }
}
