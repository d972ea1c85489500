using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// Admission to the model: at most MaxConcurrentRequests run, up to MaxQueueLength wait, and waiting requests are
/// admitted round-robin by client (API key or IP), so one client's burst cannot starve the others as FIFO would.
/// </summary>
public sealed class FairRequestQueue
{
    private readonly Lock gate = new();
    private readonly int maxConcurrent;
    private readonly int maxQueued;
    private readonly Dictionary<string, LinkedList<Waiter>> waiting = new(StringComparer.Ordinal);
    private readonly LinkedList<string> turns = new();  // clients with waiting requests, next to be served first
    private int active;
    private int queued;

    public FairRequestQueue(IOptions<ServingOptions> options)
        : this(options.Value.MaxConcurrentRequests, options.Value.MaxQueueLength)
    {
    }

    public FairRequestQueue(int maxConcurrent, int maxQueued)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueued);
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    public int Active { get { lock (gate) return active; } }
    public int Queued { get { lock (gate) return queued; } }

    /// <summary>
    /// Waits for a turn; dispose the lease when the request ends. Throws <see cref="QueueFullException"/> when
    /// MaxQueueLength requests already wait, and OperationCanceledException if cancelled while waiting.
    /// </summary>
    public async ValueTask<IDisposable> EnterAsync(string client, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (gate)
        {
            if (active < maxConcurrent && queued == 0)
            {
                active++;
                return new Lease(this);
            }
            if (queued >= maxQueued) throw new QueueFullException(queued);
            waiter = new Waiter(client);
            if (!waiting.TryGetValue(client, out var line))
            {
                waiting[client] = line = new LinkedList<Waiter>();
                turns.AddLast(client);
            }
            waiter.Node = line.AddLast(waiter);
            queued++;
        }
        await using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
            await waiter.Admitted.Task.ConfigureAwait(false);
        return new Lease(this);
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!waiter.Admitted.TrySetCanceled(cancellationToken)) return;  // admitted first: the caller releases its lease
            Remove(waiter);
        }
    }

    private void Release()
    {
        lock (gate)
        {
            active--;
            while (active < maxConcurrent && turns.First is { } turn)
            {
                var line = waiting[turn.Value];
                var next = line.First!.Value;
                Remove(next);
                if (waiting.ContainsKey(turn.Value))
                {
                    // the client still has requests waiting: it goes to the back of the round
                    turns.Remove(turn);
                    turns.AddLast(turn);
                }
                if (next.Admitted.TrySetResult()) active++;
            }
        }
    }

    private void Remove(Waiter waiter)
    {
        var line = waiting[waiter.Client];
        line.Remove(waiter.Node!);
        queued--;
        if (line.Count > 0) return;
        waiting.Remove(waiter.Client);
        turns.Remove(waiter.Client);
    }

    private sealed class Waiter(string client)
    {
        public string Client { get; } = client;
        public LinkedListNode<Waiter>? Node { get; set; }
        // continuations run outside the queue's lock
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(FairRequestQueue queue) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) queue.Release();
        }
    }
}

/// <summary>The request queue already holds MaxQueueLength requests.</summary>
public sealed class QueueFullException(int queued)
    : Exception($"the server is overloaded: {queued} requests are already waiting; retry later")
{
    public int Queued { get; } = queued;
}
