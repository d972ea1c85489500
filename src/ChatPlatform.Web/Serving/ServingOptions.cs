namespace ChatPlatform.Web.Serving;

/// <summary>
/// The "Serving" configuration section: which model to serve and the limits that keep one machine responsive.
/// Bound once at start-up and validated there (<see cref="ServingOptionsValidator"/>).
/// </summary>
public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>
    /// The chat model's Hugging Face folder. The full app serves the active registered version instead when there is one,
    /// and answers with retrieved passages alone when neither is set; `chatplatform serve` requires it.
    /// </summary>
    public string? Model { get; set; }
    /// <summary>The id clients send as "model"; the folder's name when unset.</summary>
    public string? ModelName { get; set; }
    /// <summary>A PEFT adapter folder applied to the model.</summary>
    public string? Adapter { get; set; }
    /// <summary>A sentence-embedding model folder (BERT family) that enables /v1/embeddings.</summary>
    public string? EmbeddingModel { get; set; }
    /// <summary>cpu, cuda or cuda:N; cpu when unset.</summary>
    public string? Device { get; set; }
    /// <summary>Bearer keys clients must send; none means the API is open (a warning at start-up says so).</summary>
    public string[] ApiKeys { get; set; } = [];
    /// <summary>
    /// Requests handed to the inference thread at once, which decodes them together (continuous batching: this is
    /// the batch size); more wait in the fair queue.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = Llm.Generation.InferenceWorker.DefaultMaxBatchSize;
    /// <summary>
    /// Memory for the keys and values of recent prompts, so a request that starts like a recent one (the chat template
    /// and system prompt, a conversation's earlier turns) computes only what is new; 0 turns prompt reuse off.
    /// </summary>
    public int PromptCacheMegabytes { get; set; } = (int)(Llm.Generation.InferenceWorker.DefaultPromptCacheBytes >> 20);
    /// <summary>Requests allowed to wait; one more is refused with 503. The default holds 64 clients' bursts with room.</summary>
    public int MaxQueueLength { get; set; } = 128;
    /// <summary>Queue wait plus generation; past it the request ends with a timeout error.</summary>
    public int RequestTimeoutSeconds { get; set; } = 300;
    /// <summary>Requests per minute per API key (or client IP without keys); 0 turns rate limiting off.</summary>
    public int RequestsPerMinute { get; set; } = 120;

    public Torch.Device ParsedDevice => Torch.Device.Parse(Device ?? "cpu");

    public string ChatModelId => ModelName ?? FolderName(Model!);

    /// <summary>The chat model configuration names (Serving:Model with Serving:Adapter), or null when none is set.</summary>
    public ModelSpec? ConfiguredModel => string.IsNullOrWhiteSpace(Model) ? null : new ModelSpec(ChatModelId, Model, Adapter);

    public string? EmbeddingModelId => EmbeddingModel is null ? null : FolderName(EmbeddingModel);

    internal static string FolderName(string folder) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
}
