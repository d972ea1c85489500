using System.Text.Json;
using ChatPlatform.Llm.Configuration;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Llm.Models.Llama;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Llm.Tests.Models;

/// <summary>
/// The real pretrained stories260K checkpoint (../shared/models) against the outputs of its original implementation
/// (llama2.c run.c, greedy, float32): the logits of 64 positions and the generated ids of every reference case.
/// </summary>
public sealed class ReferenceCheckpointTests
{
    private static LlamaForCausalLM Load(string folder) => LlamaForCausalLM.FromFolder(folder, ScalarType.Float32, Device.CPU);

    private static JsonElement Reference(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json"))).RootElement;

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    [Theory]
    [InlineData(SharedModels.Stories260K)]
    [InlineData(SharedModels.Stories260KUntied)]
    public void LogitsMatchTheOriginalImplementation(string name)
    {
        var folder = SharedModels.Folder(name);
        using var model = Load(folder);
        var c = Reference(folder).GetProperty("cases").EnumerateArray().First(x => x.GetProperty("name").GetString() == "once_upon_a_time_64");
        var seq = Ints(c.GetProperty("prompt_ids")).Concat(Ints(c.GetProperty("generated_ids"))).Take(64).Select(i => (long)i).ToArray();
        var bytes = File.ReadAllBytes(Path.Combine(folder, "logits_once_upon_a_time_64.f32"));
        var expected = new float[64 * 512];
        Buffer.BlockCopy(bytes, 0, expected, 0, bytes.Length);

        using var scope = torch.NewDisposeScope();
        using var _ = torch.inference_mode();
        var actual = model.forward(torch.tensor(seq, [1, 64]), torch.arange(64).unsqueeze(0)).data<float>();
        var worst = 0.0;
        var worstAt = 0;
        for (var i = 0; i < actual.Length; i++)
            if (Math.Abs(actual[i] - expected[i]) > worst) (worst, worstAt) = (Math.Abs(actual[i] - expected[i]), i);
        Assert.True(worst < 1e-3, $"largest logit difference {worst} at position {worstAt / 512} (position-dependent errors point at RoPE)");
    }

    [Fact]
    public void LocalModelEncodesGeneratesAndDecodesTheReferenceText()
    {
        var folder = SharedModels.Folder(SharedModels.Stories260K);
        using var local = LocalModel.Load(folder);
        Assert.NotNull(local.TemplateWarning);   // this checkpoint has no chat template: ChatML with a warning
        var c = Reference(folder).GetProperty("cases").EnumerateArray().First(x => x.GetProperty("name").GetString() == "lily_and_tom_100");
        var promptIds = local.Tokenizer.Encode(c.GetProperty("prompt").GetString()!);
        Assert.Equal(Ints(c.GetProperty("prompt_ids")), promptIds);
        using var session = new GenerationSession(local.Model, new GenerationRequest([promptIds], c.GetProperty("max_new_tokens").GetInt32(),
            SamplingOptions.Greedy, new HashSet<int> { 1 }));
        while (!session.IsDone) session.Step();
        Assert.Equal(c.GetProperty("text").GetString(), local.Tokenizer.Decode(promptIds.Concat(session.Generated(0)).ToArray(), skipSpecialTokens: true));
    }

    [Theory]
    [InlineData(SharedModels.Stories260K)]
    [InlineData(SharedModels.Stories260KUntied)]
    public void GreedyGenerationMatchesTokenForToken(string name)
    {
        var folder = SharedModels.Folder(name);
        using var model = Load(folder);
        var reference = Reference(folder);
        var stopIds = Ints(reference.GetProperty("stop_token_ids")).ToHashSet();
        foreach (var c in reference.GetProperty("cases").EnumerateArray())
        {
            var promptIds = Ints(c.GetProperty("prompt_ids"));
            // run.c counts the prompt inside its step budget; the context is 512 positions.
            var maxNew = Math.Min(c.GetProperty("max_new_tokens").GetInt32(), model.Config.MaxPositionEmbeddings - promptIds.Length);
            using var session = new GenerationSession(model, new GenerationRequest([promptIds], maxNew, SamplingOptions.Greedy, stopIds));
            while (!session.IsDone) session.Step();
            Assert.Equal(Ints(c.GetProperty("generated_ids")), session.Generated(0).ToArray());
            Assert.Equal(c.GetProperty("stopped_on_bos").GetBoolean(), session.Reasons[0] == FinishReason.StopToken);
        }
    }
}
