using ChatPlatform.Llm;
using ChatPlatform.Torch;
using ChatPlatform.Training.Pretraining;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Training.Tests.Pretraining;

public sealed class PretrainingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "chatplatform-pretrain-" + Guid.NewGuid().ToString("N"));

    public PretrainingTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string SharedTokenizer() => ChatPlatform.Llm.Tests.SharedModels.Folder(ChatPlatform.Llm.Tests.SharedModels.Stories260K);

    [Fact]
    public void RandomInitialisationFollowsTransformers()
    {
        var config = ModelPresets.Create("nano", 512, 1, 2);
        using var g = new Generator(1);
        var init = new RandomInitWeights(config, g);
        using var scope = torch.NewDisposeScope();
        var q = init.Load("model.layers.3.self_attn.q_proj.weight", ScalarType.Float64, Device.CPU);
        Assert.Equal(new long[] { 128, 128 }, q.shape);
        var values = q.data<double>();
        var std = Math.Sqrt(values.Select(v => v * v).Average());
        Assert.InRange(std, 0.019, 0.021);
        Assert.All(init.Load("model.layers.0.input_layernorm.weight", ScalarType.Float32, Device.CPU).data<float>(), v => Assert.Equal(1f, v));
        Assert.Equal(new long[] { 352, 128 }, init.Load("model.layers.0.mlp.up_proj.weight", ScalarType.Float32, Device.CPU).shape);
        Assert.False(init.Contains("model.layers.4.mlp.up_proj.weight2"));
    }

    [Fact]
    public void ANanoModelLearnsFromRawTextAndLoadsAsAModelFolder()
    {
        var tokenizer = SharedTokenizer();
        var random = new Random(0);
        string[] names = ["Lily", "Tom", "Sam", "Anna", "Ben"], things = ["ball", "cat", "tree", "car", "kite"];
        var documents = Enumerable.Range(0, 300).Select(_ =>
        {
            var (n, t) = (names[random.Next(names.Length)], things[random.Next(things.Length)]);
            return $"{n} had a {t}. {n} liked the {t} very much. One day {n} played with the {t} in the park.";
        });
        var text = Path.Combine(folder, "text.txt");
        File.WriteAllText(text, string.Join("\n\n", documents));
        var options = new TrainingOptions { Epochs = 3, LearningRate = 3e-3, BatchSize = 8, MaxSequenceLength = 128, Seed = 1, WarmupRatio = 0.05 };
        var run = new PretrainingRun(tokenizer, text, Path.Combine(folder, "run"), "nano", options);
        var result = run.Execute(cancellationToken: TestContext.Current.CancellationToken);
        // ln(512) = 6.24 nats is where an untrained model starts; the repeated story structure is quickly learnt.
        Assert.True(result.FinalEvalLoss < 3.0, $"eval loss {result.FinalEvalLoss}");
        using var model = LocalModel.Load(Path.Combine(folder, "run", "model"));
        Assert.Equal(128, model.Config.HiddenSize);
        Assert.Equal(4, model.Config.NumHiddenLayers);
        Assert.Equal([1, 403, 407, 261, 378], model.Tokenizer.Encode("Once upon a time"));
    }
}
