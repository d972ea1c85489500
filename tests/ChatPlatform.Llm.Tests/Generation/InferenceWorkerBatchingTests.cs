using System.Threading.Channels;
using ChatPlatform.Llm.Generation;

namespace ChatPlatform.Llm.Tests.Generation;

/// <summary>The inference thread serving concurrent requests on the real stories260K checkpoint.</summary>
public sealed class InferenceWorkerBatchingTests
{
    private static readonly HashSet<int> NoStops = [];

    private static async Task<(List<int> tokens, FinishReason finish)> Drain(ChannelReader<InferenceWorker.TokenEvent> reader,
        Action<int>? afterToken = null)
    {
        var tokens = new List<int>();
        var finish = FinishReason.None;
        await foreach (var t in reader.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            if (t.TokenId < 0) finish = t.Finish;
            else
            {
                tokens.Add(t.TokenId);
                afterToken?.Invoke(tokens.Count);
            }
        }
        return (tokens, finish);
    }

    [Fact]
    public async Task ConcurrentRequestsGetTheTokensEachGetsAlone()
    {
        var model = LocalModel.Load(SharedModels.Folder(SharedModels.Stories260K));
        using var _ = model;
        int[][] prompts = [[1, 403, 407], [1, 261, 429, 260, 332, 286], [1, 300], [1, 319, 286, 433, 260, 371, 304, 283, 217]];
        int[] budgets = [40, 25, 60, 33];
        var sampled = new SamplingOptions { Temperature = 0.8, TopP = 0.9, Seed = 77 };
        var alone = prompts.Select((p, i) => Alone(model, p, budgets[i], i == 2 ? sampled : SamplingOptions.Greedy)).ToArray();
        var late = Alone(model, [1, 500, 301], 20, SamplingOptions.Greedy);

        using var worker = new InferenceWorker(model.Model);
        using var cancel = new CancellationTokenSource();
        var ct = TestContext.Current.CancellationToken;
        var cancelled = worker.Submit([1, 403, 200], 200, SamplingOptions.Greedy, NoStops, cancel.Token);
        var readers = prompts.Select((p, i) => worker.Submit(p, budgets[i], i == 2 ? sampled : SamplingOptions.Greedy, NoStops, ct)).ToArray();
        // A late request joins the running batch once the first one has made ten tokens.
        Task<(List<int>, FinishReason)>? lateRun = null;
        var first = Drain(readers[0], count => { if (count == 10) lateRun = Drain(worker.Submit([1, 500, 301], 20, SamplingOptions.Greedy, NoStops, ct)); });
        var cancelledRun = Drain(cancelled, count => { if (count == 5) cancel.Cancel(); });
        var results = await Task.WhenAll([first, .. readers.Skip(1).Select(r => Drain(r))]);
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i], results[i].tokens);
            Assert.Equal(FinishReason.Length, results[i].finish);
        }
        Assert.NotNull(lateRun);
        Assert.Equal(late, (await lateRun).Item1);
        var (cancelledTokens, cancelledFinish) = await cancelledRun;
        Assert.Equal(FinishReason.Cancelled, cancelledFinish);
        // the worker runs ahead of this reader, so some tokens were already queued; it stopped long before its budget
        Assert.InRange(cancelledTokens.Count, 5, 199);
        Assert.Equal(Alone(model, [1, 403, 200], cancelledTokens.Count, SamplingOptions.Greedy), cancelledTokens);
    }

    [Fact]
    public async Task RequestsBeyondTheBatchCapWaitTheirTurnAndStillMatch()
    {
        var model = LocalModel.Load(SharedModels.Folder(SharedModels.Stories260K));
        using var _ = model;
        using var worker = new InferenceWorker(model.Model, maxBatchSize: 2);
        Assert.Equal(2, worker.MaxBatchSize);
        var ct = TestContext.Current.CancellationToken;
        int[][] prompts = [[1, 403], [1, 300, 301], [1, 261, 429], [1, 319], [1, 500, 286, 433]];
        var readers = prompts.Select((p, i) => worker.Submit(p, 10 + 3 * i, SamplingOptions.Greedy, NoStops, ct)).ToArray();
        var results = await Task.WhenAll(readers.Select(r => Drain(r)));
        for (var i = 0; i < prompts.Length; i++)
            Assert.Equal(Alone(model, prompts[i], 10 + 3 * i, SamplingOptions.Greedy), results[i].tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceWorker(model.Model, maxBatchSize: 0));
    }

    private static int[] Alone(LocalModel model, int[] prompt, int maxNew, SamplingOptions sampling)
    {
        using var session = new GenerationSession(model.Model, new GenerationRequest([prompt], maxNew, sampling, NoStops));
        while (!session.IsDone) session.Step();
        return session.Generated(0).ToArray();
    }
}
