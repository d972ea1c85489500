using ChatPlatform.Llm;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Web.Serving;

/// <summary>
/// One request's hold on a loaded model version: the version stays loaded until every lease on it is disposed, even
/// when another version has become the served one meanwhile. Dispose once, when the answer is complete.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? model;

    internal ModelLease(LoadedModel model) => this.model = model;

    private LoadedModel Held => model ?? throw new ObjectDisposedException(nameof(ModelLease));

    public ModelSpec Spec => Held.Spec;
    /// <summary>The name clients send as "model".</summary>
    public string Id => Held.Spec.Id;
    public IChatClient Chat => Held.Chat;
    /// <summary>The model itself, for its tokenizer and context length.</summary>
    public LocalModel Model => Held.Model;
    public DateTimeOffset LoadedAt => Held.LoadedAt;
    /// <summary>The loaded version this lease holds.</summary>
    internal LoadedModel Version => Held;

    public void Dispose() => Interlocked.Exchange(ref model, null)?.Release();
}
