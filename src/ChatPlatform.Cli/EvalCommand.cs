using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChatPlatform.Training.Evaluation;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform eval`: eval loss, perplexity and generation metrics of a model (+ adapter) on conversations.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var data = new Option<string>("--data") { Description = "Conversations (JSONL) whose last assistant turn is the reference.", Required = true };
        var output = new Option<string?>("--out") { Description = "Also write the report as JSON to this file." };
        var examples = new Option<int>("--generation-examples") { DefaultValueFactory = _ => 32, Description = "How many examples to generate answers for." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Skip (and count) bad JSONL lines." };
        var command = new Command("eval", "Evaluate a model (and adapter) on held-out conversations: loss, perplexity, ROUGE-L, BLEU, exact match.")
        {
            data, output, examples, skipInvalid,
        };
        model.AddTo(command);
        command.SetAction((pr, ct) =>
        {
            EngineStartup.CheckBlas();
            using var local = model.Load(pr);
            var report = ModelEvaluation.Run(local, pr.GetValue(data)!, pr.GetValue(examples), skipInvalid: pr.GetValue(skipInvalid),
                maxNewTokens: pr.GetValue(model.MaxNewTokens) ?? 256, cancellationToken: ct);
            var g = report.Generation;
            string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
            Console.WriteLine($"examples      {report.Examples}");
            Console.WriteLine($"eval loss     {F(report.EvalLoss)}");
            Console.WriteLine($"perplexity    {F(report.Perplexity)}");
            Console.WriteLine($"ROUGE-L F1    {F(g.RougeLF1)}  (on {g.Examples} generated answers)");
            Console.WriteLine($"BLEU-4        {F(g.Bleu)}");
            Console.WriteLine($"exact match   {F(g.ExactMatch)}");
            if (g.Classification is { } c)
                Console.WriteLine($"accuracy      {F(c.Accuracy)}  macro P/R/F1 {F(c.MacroPrecision)}/{F(c.MacroRecall)}/{F(c.MacroF1)}");
            if (pr.GetValue(output) is { } path)
            {
                File.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions
                {
                    WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }));
                Console.WriteLine($"report written to {Path.GetFullPath(path)}");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
