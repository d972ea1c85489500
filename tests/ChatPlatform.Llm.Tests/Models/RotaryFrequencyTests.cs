using System.Text.Json;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Models.Llama;

namespace ChatPlatform.Llm.Tests.Models;

/// <summary>
/// Rotary inverse frequencies (plain, linear and llama3 scaling) against transformers' formulas re-typed in PyTorch
/// (Models/reference/make_rope_reference.py).
/// </summary>
public sealed class RotaryFrequencyTests
{
    public static TheoryData<string> Cases() =>
        new(Reference().GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    private static JsonElement Reference() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.TestSource("Models/reference"), "rope_reference.json"))).RootElement;

    [Theory]
    [MemberData(nameof(Cases))]
    public void InverseFrequenciesMatchTransformers(string name)
    {
        var c = Reference().GetProperty("cases").EnumerateArray().First(x => x.GetProperty("name").GetString() == name);
        var headDim = c.GetProperty("head_dim").GetInt32();
        var json = $$"""
            {"model_type": "llama", "vocab_size": 32, "hidden_size": {{headDim * 2}}, "intermediate_size": 8, "num_hidden_layers": 1,
             "num_attention_heads": 2, "head_dim": {{headDim}}, "rope_theta": {{c.GetProperty("rope_theta").GetDouble()}},
             "rope_scaling": {{c.GetProperty("rope_scaling").GetRawText()}}}
            """;
        var config = LlamaConfig.Parse(json);
        var expected = c.GetProperty("inv_freq").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var actual = RotaryEmbedding.InverseFrequencies(config).Select(x => (double)x).ToArray();
        Approx.Equal(expected, actual, 1e-6);
    }
}
