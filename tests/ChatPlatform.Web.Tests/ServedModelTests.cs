using ChatPlatform.Llm;
using ChatPlatform.Web.Serving;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Tests;

/// <summary>The swappable served version and its loader, with the real stories260K checkpoint under different version names.</summary>
public sealed class ServedModelTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Tiny => SharedModels.Folder(SharedModels.Stories260K);

    private readonly ModelLoader loader = new(Options.Create(new ServingOptions()), m => new LocalChatClient(m), NullLogger<ModelLoader>.Instance);
    private readonly ServedModel served;

    public ServedModelTests() => served = new ServedModel(loader, NullLogger<ServedModel>.Instance);

    private static ModelSpec Version(string id) => new(id, Tiny, null);

    [Fact]
    public async Task ALeaseKeepsTheSwappedOutVersionLoadedAndAnsweringUntilItIsReleased()
    {
        Assert.Null(served.TryLease());
        Assert.Equal(ModelState.None, served.Status.State);
        await served.SwapAsync(Version("a"), Ct);
        var lease = served.TryLease()!;
        var a = lease.Version;

        await served.SwapAsync(Version("b"), Ct);
        Assert.Equal("b", served.Current?.Id);
        Assert.Equal(ModelState.Serving, served.Status.State);
        Assert.False(a.IsDisposed);
        // the old version still generates for the request that holds it
        var answer = await lease.Chat.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")],
            new ChatOptions { MaxOutputTokens = 4, Temperature = 0 }, Ct);
        Assert.True(answer.Usage?.OutputTokenCount > 0);
        Assert.Equal("a", lease.Id);

        lease.Dispose();
        Assert.True(a.IsDisposed);
        using var next = served.TryLease()!;
        Assert.Equal("b", next.Id);
        Assert.False(next.Version.IsDisposed);
    }

    [Fact]
    public async Task AFailedLoadLeavesTheServedVersionServingAndReportsTheError()
    {
        await served.SwapAsync(Version("a"), Ct);
        var missing = new ModelSpec("broken", Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N")), null);
        var states = new List<ModelState>();
        served.StatusChanged += s => states.Add(s.State);

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => served.SwapAsync(missing, Ct));

        Assert.Equal([ModelState.Loading, ModelState.Error], states);
        Assert.Equal(ModelState.Error, served.Status.State);
        Assert.Contains("no-such-model-", served.Status.Error);
        Assert.Equal("a", served.Status.Serving?.Id);
        using var lease = served.TryLease()!;
        Assert.Equal("a", lease.Id);
        Assert.False(lease.Version.IsDisposed);
    }

    [Fact]
    public async Task OtherVersionsStayInASmallCacheThatDisposesWhatItEvictsAndActivationTakesFromIt()
    {
        await served.SwapAsync(Version("served"), Ct);
        using (var same = await served.LeaseAsync(Version("served"), Ct))
        using (var current = served.TryLease()!)
            Assert.Same(current.Version, same.Version);  // the served version is not loaded twice
        Assert.Empty(loader.Cached);

        LoadedModel first;
        using (var lease = await served.LeaseAsync(Version("c1"), Ct)) first = lease.Version;
        var held = await served.LeaseAsync(Version("c2"), Ct);
        using (var again = await served.LeaseAsync(Version("c1"), Ct)) Assert.Same(first, again.Version);  // a hit: c1 is now the most recent
        using (var lease = await served.LeaseAsync(Version("c3"), Ct)) { }

        // c2 was the least recently used; it is evicted but stays loaded while a lease holds it
        Assert.Equal(["c1", "c3"], loader.Cached.Select(s => s.Id));
        Assert.False(held.Version.IsDisposed);
        var c2 = held.Version;
        held.Dispose();
        Assert.True(c2.IsDisposed);

        LoadedModel c3;
        using (var lease = await served.LeaseAsync(Version("c3"), Ct)) c3 = lease.Version;
        await served.SwapAsync(Version("c3"), Ct);
        using var now = served.TryLease()!;
        Assert.Same(c3, now.Version);  // taken from the cache, not loaded again
        Assert.Equal(["c1"], loader.Cached.Select(s => s.Id));
    }

    public void Dispose()
    {
        served.Dispose();
        loader.Dispose();
    }
}
