using Microsoft.Extensions.AI;

namespace ChatPlatform.Llm.Embeddings;

/// <summary>
/// A local sentence-embedding model (BERT family: all-MiniLM, bge, e5, gte) as an <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>.
/// </summary>
/// <remarks>
/// Queries and passages: retrieval models embed the two differently (e5 prepends "query: " / "passage: ", bge an
/// instruction before queries only). Say which a request holds with a prompt name in
/// <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>: <c>["prompt_name"] = "query"</c> or <c>"passage"</c>
/// (<see cref="ForQueries"/> and <see cref="ForPassages"/> build such options), as sentence-transformers'
/// <c>encode(prompt_name=...)</c>. The prompt's text comes from the model's config_sentence_transformers.json, or from
/// <see cref="LocalEmbeddingOptions.Prompts"/>, which win. "query" and "passage" are always accepted: a model that
/// defines no such prompt embeds the text as it is ("passage" falls back to a "document" prompt, the other common
/// name). Any other name must be one of the model's prompts. <c>["prompt"] = "text"</c> prepends a literal prompt.
/// Without either, the model's default_prompt_name applies, if it has one.
/// Work runs on a thread-pool thread, one request at a time, in batches sorted by length; cancellation is checked
/// between batches.
/// </remarks>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string PromptNameKey = "prompt_name";
    public const string PromptKey = "prompt";
    public const string QueryPromptName = "query";
    public const string PassagePromptName = "passage";
    public const string ProviderName = "chatplatform-local";

    private readonly SentenceEncoder encoder;
    private readonly bool ownsEncoder;
    private readonly int batchSize;
    private readonly Dictionary<string, string> prompts;
    private readonly SemaphoreSlim gate = new(1, 1);

    public LocalEmbeddingGenerator(SentenceEncoder encoder, LocalEmbeddingOptions? options = null, bool ownsEncoder = false)
    {
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        options ??= new LocalEmbeddingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        batchSize = options.BatchSize;
        prompts = new Dictionary<string, string>(encoder.Config.Prompts, StringComparer.Ordinal);
        foreach (var (name, text) in options.Prompts ?? new Dictionary<string, string>()) prompts[name] = text;
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, null, encoder.ModelId, encoder.Dimension);
    }

    /// <summary>Loads a sentence-transformers (or plain BERT) model folder; the generator owns and disposes it.</summary>
    public static LocalEmbeddingGenerator Load(string folder, LocalEmbeddingOptions? options = null) =>
        new(SentenceEncoder.Load(folder, options?.Device, options?.DType), options, ownsEncoder: true);

    public EmbeddingGeneratorMetadata Metadata { get; }
    public int Dimension => encoder.Dimension;
    public SentenceEncoder Encoder => encoder;

    /// <summary>Options that mark the inputs as search queries.</summary>
    public static EmbeddingGenerationOptions ForQueries() =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PromptNameKey] = QueryPromptName } };

    /// <summary>Options that mark the inputs as passages (documents, chunks) to be searched.</summary>
    public static EmbeddingGenerationOptions ForPassages() =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PromptNameKey] = PassagePromptName } };

    /// <summary>The text prepended to inputs under <paramref name="options"/> (null: none).</summary>
    public string? PromptFor(EmbeddingGenerationOptions? options)
    {
        var extra = options?.AdditionalProperties;
        if (extra is not null && extra.TryGetValue(PromptKey, out var literal) && literal is not null)
            return literal as string ?? throw new ArgumentException($"AdditionalProperties[\"{PromptKey}\"] must be a string");
        string? name = null;
        if (extra is not null && extra.TryGetValue(PromptNameKey, out var n) && n is not null)
            name = n as string ?? throw new ArgumentException($"AdditionalProperties[\"{PromptNameKey}\"] must be a string");
        name ??= encoder.Config.DefaultPromptName;
        if (name is null) return null;
        if (prompts.TryGetValue(name, out var text)) return text;
        if (name == PassagePromptName && prompts.TryGetValue("document", out var document)) return document;
        if (name is QueryPromptName or PassagePromptName) return null;
        throw new ArgumentException(
            $"prompt '{name}' is not one of {encoder.ModelId}'s prompts ({(prompts.Count == 0 ? "it has none" : string.Join(", ", prompts.Keys))})");
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToList();
        if (options?.Dimensions is { } dims && dims != Dimension)
            throw new ArgumentException($"{encoder.ModelId} makes {Dimension}-dimensional embeddings, not {dims}");
        if (options?.ModelId is { } id && id != encoder.ModelId)
            throw new ArgumentException($"this generator serves model '{encoder.ModelId}', not '{id}'");
        var prompt = PromptFor(options);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        EncodeResult result;
        try
        {
            // Off the caller's thread: the encoder's dispose scopes and inference mode live on the thread that runs it.
            result = await Task.Run(() => encoder.Encode(texts, prompt, batchSize, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
        var created = DateTimeOffset.UtcNow;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(result.Vectors.Select(v =>
            new Embedding<float>(v) { ModelId = encoder.ModelId, CreatedAt = created }))
        {
            Usage = new UsageDetails { InputTokenCount = result.TokenCount, TotalTokenCount = result.TokenCount },
        };
        return embeddings;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType.IsInstanceOfType(encoder) ? encoder
        : null;

    public void Dispose()
    {
        gate.Dispose();
        if (ownsEncoder) encoder.Dispose();
    }
}
