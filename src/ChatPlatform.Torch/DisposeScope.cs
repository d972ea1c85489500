namespace ChatPlatform.Torch;

/// <summary>
/// Frees every tensor created on this thread while the scope is the innermost one, when it is disposed
/// (TorchSharp's <c>NewDisposeScope</c>). Results that must outlive the scope are moved out with
/// <see cref="MoveToOuter"/> or <see cref="Detach"/>. Scopes are per thread and nest; never <c>await</c> inside one.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly int threadId;
    private readonly List<Tensor> owned = new(64);
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        threadId = Environment.CurrentManagedThreadId;
        current = this;
    }

    /// <summary>The innermost scope of the calling thread, if any.</summary>
    public static DisposeScope? Current => current;

    /// <summary>Tensors this scope will free (including ones already disposed by hand).</summary>
    public int Count => owned.Count;

    internal static void Track(Tensor tensor)
    {
        var scope = current;
        if (scope is null) return;
        scope.owned.Add(tensor);
        tensor.OwningScope = scope;
    }

    /// <summary>Hands the tensor to the enclosing scope (or to no scope, so the caller owns it).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (tensor.OwningScope != this) throw new InvalidOperationException("the tensor is not owned by this scope");
        tensor.OwningScope = null;
        if (outer is not null)
        {
            outer.owned.Add(tensor);
            tensor.OwningScope = outer;
        }
        return tensor;
    }

    public (Tensor, Tensor) MoveToOuter(Tensor a, Tensor b) => (MoveToOuter(a), MoveToOuter(b));

    /// <summary>Takes the tensor out of every scope: the caller must dispose it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        if (tensor.OwningScope != this) throw new InvalidOperationException("the tensor is not owned by this scope");
        tensor.OwningScope = null;
        return tensor;
    }

    public void Dispose()
    {
        if (disposed) return;
        if (Environment.CurrentManagedThreadId != threadId)
            throw new InvalidOperationException("a DisposeScope must be disposed on the thread that created it");
        if (current != this)
            throw new InvalidOperationException("DisposeScopes must be disposed innermost first");
        disposed = true;
        current = outer;
        foreach (var t in owned)
        {
            if (t.OwningScope != this) continue;  // moved out
            t.OwningScope = null;
            t.Dispose();
        }
        owned.Clear();
    }
}
