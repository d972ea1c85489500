using ChatPlatform.Llm;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// One loaded chat model version (weights with their adapter, behind one inference thread), shared by reference count:
/// whoever loads it holds the first reference (the holder of the served version, or the loader's cache) and every
/// request takes one more through a <see cref="ModelLease"/>. The weights are disposed when the last reference goes,
/// so a version swapped out mid-answer lives until that answer ends.
/// </summary>
public sealed class LoadedModel
{
    private readonly Lock gate = new();
    private readonly IChatClient chat;
    private readonly TaskCompletionSource unloaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int references = 1;

    internal LoadedModel(ModelSpec spec, LocalModel model, IChatClient chat)
    {
        Spec = spec;
        Model = model;
        this.chat = chat;
    }

    public ModelSpec Spec { get; }
    /// <summary>The model itself, for what needs its tokenizer or context length (the prompt budget).</summary>
    public LocalModel Model { get; }
    public IChatClient Chat => chat;
    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;
    public bool IsDisposed { get; private set; }
    /// <summary>Completes when the last reference is gone and the weights are disposed.</summary>
    public Task Unloaded => unloaded.Task;

    /// <summary>Another reference, or false when the last one is already gone (the caller must not use the model).</summary>
    internal bool TryAddReference()
    {
        lock (gate)
        {
            if (references == 0) return false;
            references++;
            return true;
        }
    }

    /// <summary>A lease on this model for one request (adds a reference); fails only when the model is already disposed.</summary>
    internal ModelLease Lease() =>
        TryAddReference() ? new ModelLease(this) : throw new ObjectDisposedException(Spec.ToString(), "the model version was unloaded");

    internal void Release()
    {
        lock (gate)
        {
            if (references == 0) throw new InvalidOperationException($"{Spec} was released more often than referenced");
            if (--references > 0) return;
            IsDisposed = true;
        }
        chat.Dispose();  // joins the inference thread before the weights go
        Model.Dispose();
        unloaded.SetResult();
    }
}
