using System.Threading.Channels;
using ChatPlatform.Llm.Models.Llama;

namespace ChatPlatform.Llm.Generation;

/// <summary>
/// The one thread that runs a model. Requests arrive as typed jobs on a channel (already templated and tokenized:
/// no text or JSON reaches the engine), and tokens go back on each job's own channel. One owner thread keeps
/// dispose scopes and inference mode thread-local and stops requests from fighting over the cores.
/// </summary>
public sealed class InferenceWorker : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly Channel<Job> jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread thread;

    public InferenceWorker(LlamaForCausalLM model)
    {
        this.model = model;
        thread = new Thread(Run) { IsBackground = true, Name = "chatplatform-inference" };
        thread.Start();
    }

    /// <summary>A generated token, or the end of the sequence with its reason.</summary>
    public readonly record struct TokenEvent(int TokenId, FinishReason Finish);

    /// <summary>Queues one prompt; tokens stream back until a stop, the budget, or cancellation (checked every token).</summary>
    public ChannelReader<TokenEvent> Submit(int[] promptIds, int maxNewTokens, SamplingOptions sampling, IReadOnlySet<int> stopTokenIds,
        CancellationToken cancellationToken)
    {
        var output = Channel.CreateUnbounded<TokenEvent>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
        var request = new GenerationRequest([promptIds], maxNewTokens, sampling, stopTokenIds);
        if (!jobs.Writer.TryWrite(new Job(request, output.Writer, cancellationToken)))
            throw new ObjectDisposedException(nameof(InferenceWorker));
        return output.Reader;
    }

    private sealed record Job(GenerationRequest Request, ChannelWriter<TokenEvent> Output, CancellationToken Cancellation);

    private void Run()
    {
        while (jobs.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (jobs.Reader.TryRead(out var job)) Execute(job);
        }
    }

    private void Execute(Job job)
    {
        try
        {
            if (job.Cancellation.IsCancellationRequested)
            {
                job.Output.TryComplete(new OperationCanceledException(job.Cancellation));
                return;
            }
            using var session = new GenerationSession(model, job.Request);
            while (!session.IsDone)
            {
                if (job.Cancellation.IsCancellationRequested)
                {
                    session.Finish(0, FinishReason.Cancelled);
                    break;
                }
                var token = session.Step()[0];
                if (session.Reasons[0] == FinishReason.StopToken) break;
                job.Output.TryWrite(new TokenEvent(token, FinishReason.None));
            }
            job.Output.TryWrite(new TokenEvent(-1, session.Reasons[0]));
            job.Output.TryComplete();
        }
        catch (Exception e)
        {
            job.Output.TryComplete(e);  // the caller's stream rethrows it
        }
    }

    public void Dispose()
    {
        jobs.Writer.TryComplete();
        thread.Join();
    }
}
