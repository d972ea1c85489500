using System.Globalization;
using ChatPlatform.Training.Trainer;

namespace ChatPlatform.Cli;

/// <summary>
/// Training progress in the terminal: one log line per step on stdout (key=value pairs, including loss=) and a
/// progress bar on stderr, redrawn in place, when stderr is a terminal.
/// </summary>
internal sealed class ConsoleTrainingProgress : IProgress<TrainingProgress>
{
    private readonly bool bar = !Console.IsErrorRedirected;

    public void Report(TrainingProgress p)
    {
        var line = p.Kind switch
        {
            TrainingEventKind.Step => $"step={p.Step}/{p.TotalSteps} epoch={p.Epoch + 1} loss={F(p.Loss)} lr={p.LearningRate.ToString("E2", CultureInfo.InvariantCulture)} tokens_per_s={p.TokensPerSecond:F1} eta={Eta(p.Eta)}",
            TrainingEventKind.Evaluation => $"eval step={p.Step} eval_loss={F(p.EvalLoss)} perplexity={(p.EvalLoss is { } l ? Math.Exp(l).ToString("F3", CultureInfo.InvariantCulture) : "n/a")}",
            TrainingEventKind.Checkpoint => $"checkpoint step={p.Step} path={p.Message}",
            _ => $"finished step={p.Step} ({p.Message})",
        };
        if (bar) Console.Error.Write("\r" + new string(' ', 60) + "\r");
        Console.WriteLine(line);
        if (bar && p.Kind == TrainingEventKind.Step)
        {
            const int width = 30;
            var filled = p.TotalSteps == 0 ? width : p.Step * width / p.TotalSteps;
            Console.Error.Write($"[{new string('#', filled)}{new string('.', width - filled)}] {p.Step}/{p.TotalSteps} eta {Eta(p.Eta)}");
        }
    }

    private static string F(double? value) => value?.ToString("F4", CultureInfo.InvariantCulture) ?? "n/a";

    private static string Eta(TimeSpan? eta) => eta is { } t ? t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "--:--:--";
}
