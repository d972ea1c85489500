using ChatPlatform.Web.Serving;

namespace ChatPlatform.Web.Tests;

public sealed class FairRequestQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitingClientsTakeTurnsInsteadOfFirstComeFirstServed()
    {
        var queue = new FairRequestQueue(maxConcurrent: 1, maxQueued: 10);
        var running = await queue.EnterAsync("a", Ct);
        // client a queues three requests before client b's one arrives
        var waiting = new List<(string Name, Task<IDisposable> Turn)>
        {
            ("a1", queue.EnterAsync("a", Ct).AsTask()),
            ("a2", queue.EnterAsync("a", Ct).AsTask()),
            ("a3", queue.EnterAsync("a", Ct).AsTask()),
            ("b1", queue.EnterAsync("b", Ct).AsTask()),
        };
        Assert.Equal(4, queue.Queued);
        var order = new List<string>();
        var current = running;
        while (waiting.Count > 0)
        {
            current.Dispose();
            var next = await Task.WhenAny(waiting.Select(w => w.Turn));
            var entry = waiting.Single(w => w.Turn == next);
            waiting.Remove(entry);
            Assert.DoesNotContain(waiting, w => w.Turn.IsCompleted);  // one at a time
            order.Add(entry.Name);
            current = await next;
        }
        current.Dispose();
        Assert.Equal(["a1", "b1", "a2", "a3"], order);
        Assert.Equal(0, queue.Active);
    }

    [Fact]
    public async Task AFullQueueRefusesAtOnce()
    {
        var queue = new FairRequestQueue(maxConcurrent: 1, maxQueued: 1);
        using var running = await queue.EnterAsync("a", Ct);
        var waiting = queue.EnterAsync("b", Ct).AsTask();
        await Assert.ThrowsAsync<QueueFullException>(() => queue.EnterAsync("c", Ct).AsTask());
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task ACancelledWaiterLeavesTheQueueAndIsSkipped()
    {
        var queue = new FairRequestQueue(maxConcurrent: 1, maxQueued: 5);
        var running = await queue.EnterAsync("a", Ct);
        using var leave = new CancellationTokenSource();
        var cancelled = queue.EnterAsync("b", leave.Token).AsTask();
        var patient = queue.EnterAsync("c", Ct).AsTask();
        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, queue.Queued);
        running.Dispose();
        (await patient).Dispose();
        Assert.Equal(0, queue.Active);
        Assert.Equal(0, queue.Queued);
    }
}
