using ChatPlatform.Llm;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// The one way a chat model version gets loaded (base + adapter, on Serving:Device, on a pool thread so no request
/// waits on it), with a small cache of versions that are loaded but not served: the playground compares versions
/// without reloading them for every question, and activating a version it already loaded takes it from the cache.
/// At most <see cref="CacheCapacity"/> extra versions stay loaded; the least recently used is released on eviction
/// (and disposed once no answer still holds it). Loads run one at a time: two models loading at once would need the
/// memory of both and take twice as long each on a small machine.
/// </summary>
public sealed class ModelLoader(IOptions<ServingOptions> options, ChatClientFactory chatClients, ILogger<ModelLoader> log) : IDisposable
{
    public const int CacheCapacity = 2;

    private readonly SemaphoreSlim loading = new(1, 1);
    private readonly Lock gate = new();
    // most recently used last
    private readonly List<LoadedModel> cache = [];
    private bool disposed;

    /// <summary>The versions loaded in the cache (not served), most recently used last.</summary>
    public IReadOnlyList<ModelSpec> Cached
    {
        get
        {
            lock (gate) return cache.Select(m => m.Spec).ToList();
        }
    }

    /// <summary>
    /// A loaded model whose first reference passes to the caller: the cached one when there is one (it leaves the
    /// cache), else freshly loaded. The caller releases it (the served-version holder, when it swaps it out).
    /// </summary>
    public async Task<LoadedModel> TakeAsync(ModelSpec spec, CancellationToken ct = default)
    {
        lock (gate)
        {
            var cached = cache.FindIndex(m => m.Spec == spec);
            if (cached >= 0)
            {
                var hit = cache[cached];
                cache.RemoveAt(cached);
                return hit;
            }
        }
        return await LoadAsync(spec, ct);
    }

    /// <summary>A lease on a version that is not served: from the cache, else loaded into it (evicting the least recently used).</summary>
    public async Task<ModelLease> LeaseAsync(ModelSpec spec, CancellationToken ct = default)
    {
        if (TryLeaseCached(spec) is { } lease) return lease;
        await loading.WaitAsync(ct);
        try
        {
            // another request may have loaded it while this one waited
            if (TryLeaseCached(spec) is { } loadedMeanwhile) return loadedMeanwhile;
            var model = await LoadUnlockedAsync(spec, ct);
            LoadedModel? evicted = null;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                cache.Add(model);
                if (cache.Count > CacheCapacity)
                {
                    evicted = cache[0];
                    cache.RemoveAt(0);
                }
                lease = model.Lease();
            }
            evicted?.Release();
            return lease;
        }
        finally
        {
            loading.Release();
        }
    }

    private ModelLease? TryLeaseCached(ModelSpec spec)
    {
        lock (gate)
        {
            var i = cache.FindIndex(m => m.Spec == spec);
            if (i < 0) return null;
            var hit = cache[i];
            cache.RemoveAt(i);
            cache.Add(hit);
            return hit.Lease();
        }
    }

    private async Task<LoadedModel> LoadAsync(ModelSpec spec, CancellationToken ct)
    {
        await loading.WaitAsync(ct);
        try
        {
            return await LoadUnlockedAsync(spec, ct);
        }
        finally
        {
            loading.Release();
        }
    }

    private async Task<LoadedModel> LoadUnlockedAsync(ModelSpec spec, CancellationToken ct)
    {
        var device = options.Value.ParsedDevice;
        var model = await Task.Run(() => LocalModel.Load(spec.BaseModelPath, device, adapter: spec.AdapterPath), ct);
        if (model.TemplateWarning is { } warning) ServingLog.TemplateFallback(log, spec.Id, warning);
        ServingLog.ChatModelLoaded(log, spec.Id, spec.BaseModelPath, spec.AdapterPath ?? "none", device.ToString());
        // metered: each request's tokens, time to first token and finish reason go into its request log event
        return new LoadedModel(spec, model, RequestLogs.MeteredChatClient.Around(chatClients(model)));
    }

    public void Dispose()
    {
        List<LoadedModel> released;
        lock (gate)
        {
            disposed = true;
            released = [.. cache];
            cache.Clear();
        }
        foreach (var m in released) m.Release();
    }
}
