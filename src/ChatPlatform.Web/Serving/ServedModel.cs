namespace ChatPlatform.Web.Serving;

/// <summary>
/// The chat model version this process serves, swappable while it runs. Every request takes a <see cref="ModelLease"/>
/// and answers on that version to the end; <see cref="SwapAsync"/> loads the next version off the request path (through
/// <see cref="ModelLoader"/>) and then replaces the served one in one step, so requests that start afterwards get the
/// new version and none is refused meanwhile. The old version is disposed when its last lease ends. A failed load
/// leaves the old version serving and records the error in <see cref="Status"/>.
/// </summary>
public sealed class ServedModel(ModelLoader loader, ILogger<ServedModel> log) : IDisposable
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim swapping = new(1, 1);
    private LoadedModel? current;
    private ModelStatus status = new(ModelState.None, null, null, null, null);

    /// <summary>Raised after every change of <see cref="Status"/> (on the thread that changed it).</summary>
    public event Action<ModelStatus>? StatusChanged;

    public ModelStatus Status
    {
        get
        {
            lock (gate) return status;
        }
    }

    /// <summary>The version serving now, or null.</summary>
    public ModelSpec? Current
    {
        get
        {
            lock (gate) return current?.Spec;
        }
    }

    /// <summary>A lease on the served version for one request, or null when no model is served.</summary>
    public ModelLease? TryLease()
    {
        lock (gate)
        {
            // The holder's own reference keeps `current` alive while the lock is held, so the lease cannot fail.
            return current?.Lease();
        }
    }

    /// <summary>
    /// A lease on any version: the served one when <paramref name="spec"/> names it, else the loader's cache (loading it
    /// there if needed). For comparing versions (the playground) without changing what customers get.
    /// </summary>
    public async Task<ModelLease> LeaseAsync(ModelSpec spec, CancellationToken ct = default)
    {
        lock (gate)
        {
            if (current is not null && current.Spec == spec) return current.Lease();
        }
        return await loader.LeaseAsync(spec, ct);
    }

    /// <summary>
    /// Loads <paramref name="spec"/> and makes it the served version. Swaps run one at a time. On failure the version
    /// before keeps serving, the status says why, and the exception propagates to the caller.
    /// </summary>
    public async Task SwapAsync(ModelSpec spec, CancellationToken ct = default)
    {
        await swapping.WaitAsync(ct);
        try
        {
            if (Current == spec)
            {
                Publish(s => s with { State = ModelState.Serving, Loading = null, Error = null });
                return;
            }
            Publish(s => s with { State = ModelState.Loading, Loading = spec, Error = null });
            LoadedModel next;
            try
            {
                next = await loader.TakeAsync(spec, ct);
            }
            catch (Exception e)
            {
                ServingLog.SwapFailed(log, e, spec.ToString());
                Publish(s => s with { State = ModelState.Error, Loading = null, Error = $"Loading {spec} failed: {e.Message}" });
                throw;
            }
            LoadedModel? previous;
            lock (gate)
            {
                previous = current;
                current = next;
                status = new ModelStatus(ModelState.Serving, spec, null, null, DateTimeOffset.UtcNow);
            }
            previous?.Release();  // the holder's reference; answers still running on it hold their own
            ServingLog.Swapped(log, previous?.Spec.Id ?? "none", spec.Id);
            StatusChanged?.Invoke(Status);
        }
        finally
        {
            swapping.Release();
        }
    }

    private void Publish(Func<ModelStatus, ModelStatus> change)
    {
        ModelStatus now;
        lock (gate) now = status = change(status);
        StatusChanged?.Invoke(now);
    }

    public void Dispose()
    {
        LoadedModel? last;
        lock (gate)
        {
            last = current;
            current = null;
        }
        last?.Release();
    }
}
