using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Tests;

/// <summary>
/// A deterministic stand-in for a sentence encoder: bag of lower-cased words hashed into buckets. Texts sharing
/// words are close, which is all retrieval tests need from an embedding.
/// </summary>
internal sealed class HashingEmbeddingGenerator(int dimension = 64, string model = "hashing-test") : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    /// <summary>The prompt_name of each request (query or passage, see EmbeddingPurpose), null when none was given.</summary>
    public List<string?> PromptNames { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
                                                                     CancellationToken cancellationToken = default)
    {
        Calls++;
        PromptNames.Add(options?.AdditionalProperties?.TryGetValue("prompt_name", out var name) == true ? name as string : null);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values) result.Add(new Embedding<float>(Embed(text)));
        return Task.FromResult(result);
    }

    public float[] Embed(string text)
    {
        var vector = new float[dimension];
        foreach (var word in text.ToLowerInvariant().Split(' ', '\n', '.', ',', '?', '!', ':', '>', '#', '-'))
        {
            if (word.Length == 0) continue;
            var bucket = (int)((uint)StableHash(word) % (uint)dimension);
            vector[bucket] += 1;
        }
        vector[0] += 0.01f;  // never the zero vector
        return vector;
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, model, dimension) : null;

    public void Dispose()
    {
    }
}
