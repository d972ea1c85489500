using System.Text.Json;
using ChatPlatform.Llm.SafeTensors;
using ChatPlatform.Torch;

namespace ChatPlatform.Training.Trainer;

/// <summary>
/// Checkpoints under &lt;run&gt;/checkpoints/step-N: trainable weights, optimizer moments, the RNG state and the trainer
/// state. Each is written to a temporary folder and renamed into place, so a run cancelled or killed at any moment
/// leaves every existing checkpoint complete; only the newest <c>keep</c> are kept.
/// </summary>
public sealed class CheckpointStore(string runDirectory, int keep)
{
    private const string Prefix = "step-";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Folder => Path.Combine(runDirectory, "checkpoints");

    public string Save(TrainerState state, IReadOnlyList<(string Name, Tensor Parameter)> trainable, AdamWState optimizer)
    {
        Directory.CreateDirectory(Folder);
        var final = Path.Combine(Folder, $"{Prefix}{state.GlobalStep}");
        var temp = final + ".partial";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        using (var scope = torch.NewDisposeScope())
        {
            SafeTensorsWriter.Write(Path.Combine(temp, "trainable.safetensors"), trainable.Select(t => (t.Name, t.Parameter)));
            var moments = new List<(string, Tensor)>();
            var steps = new Dictionary<string, long>();
            for (var i = 0; i < trainable.Count; i++)
            {
                if (optimizer.Entries[i] is not { } e) continue;
                moments.Add(($"{trainable[i].Name}.exp_avg", e.ExpAvg));
                moments.Add(($"{trainable[i].Name}.exp_avg_sq", e.ExpAvgSq));
                steps[trainable[i].Name] = e.Step;
            }
            SafeTensorsWriter.Write(Path.Combine(temp, "optimizer.safetensors"), moments);
            SafeTensorsWriter.Write(Path.Combine(temp, "rng.safetensors"), [("cpu", torch.get_rng_state())]);
            File.WriteAllText(Path.Combine(temp, "trainer_state.json"), JsonSerializer.Serialize(state with { OptimizerSteps = steps }, Json));
        }
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
        Prune();
        return final;
    }

    /// <summary>The newest complete checkpoint folder, or null.</summary>
    public string? Latest() =>
        Directory.Exists(Folder)
            ? Directory.GetDirectories(Folder, Prefix + "*").Where(d => !d.EndsWith(".partial", StringComparison.Ordinal))
                .OrderByDescending(StepOf).FirstOrDefault()
            : null;

    /// <summary>Restores weights, optimizer and RNG from a checkpoint folder; returns the trainer state.</summary>
    public static (TrainerState State, AdamWState Optimizer) Load(string checkpoint, IReadOnlyList<(string Name, Tensor Parameter)> trainable,
        double learningRate)
    {
        var statePath = Path.Combine(checkpoint, "trainer_state.json");
        if (!File.Exists(statePath)) throw new InvalidDataException($"{checkpoint} is not a checkpoint: trainer_state.json is missing");
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath))
                    ?? throw new InvalidDataException($"{statePath}: empty");
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        using (var weights = SafeTensorsFile.Open(Path.Combine(checkpoint, "trainable.safetensors")))
            foreach (var (name, p) in trainable)
            {
                if (!weights.Contains(name)) throw new InvalidDataException($"{checkpoint}: trainable parameter '{name}' is missing (a different method or model?)");
                p.copy_(weights.Load(name, p.dtype, p.device));
            }
        var entries = new AdamWState.Entry?[trainable.Count];
        using (var moments = SafeTensorsFile.Open(Path.Combine(checkpoint, "optimizer.safetensors")))
            for (var i = 0; i < trainable.Count; i++)
            {
                var (name, p) = trainable[i];
                if (!state.OptimizerSteps.TryGetValue(name, out var steps)) continue;
                entries[i] = new AdamWState.Entry(steps, moments.Load($"{name}.exp_avg", p.dtype, p.device).LeaveDisposeScope(),
                    moments.Load($"{name}.exp_avg_sq", p.dtype, p.device).LeaveDisposeScope());
            }
        using (var rng = SafeTensorsFile.Open(Path.Combine(checkpoint, "rng.safetensors")))
            torch.set_rng_state(rng.Load("cpu"));
        return (state, new AdamWState(entries, learningRate));
    }

    private void Prune()
    {
        foreach (var old in Directory.GetDirectories(Folder, Prefix + "*").Where(d => !d.EndsWith(".partial", StringComparison.Ordinal))
                     .OrderByDescending(StepOf).Skip(Math.Max(1, keep)))
            Directory.Delete(old, recursive: true);
    }

    private static int StepOf(string folder) =>
        int.TryParse(Path.GetFileName(folder)[Prefix.Length..], out var step) ? step : -1;
}
