using Microsoft.Extensions.AI;

namespace ChatPlatform.Rag.Indexing;

/// <summary>
/// Marks an embedding request as a search query or as a passage to be searched, for models that embed the two
/// differently (e5's "query: " / "passage: ", bge's query instruction). The convention is sentence-transformers'
/// prompt_name in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>, which ChatPlatform's local generator
/// reads (LocalEmbeddingGenerator.PromptNameKey); generators without prompts ignore it.
/// </summary>
public static class EmbeddingPurpose
{
    public const string PromptNameKey = "prompt_name";

    public static EmbeddingGenerationOptions Query() => Named("query");

    public static EmbeddingGenerationOptions Passage() => Named("passage");

    private static EmbeddingGenerationOptions Named(string name) =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PromptNameKey] = name } };
}
