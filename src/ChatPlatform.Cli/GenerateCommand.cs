using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ChatPlatform.Llm;
using ChatPlatform.Llm.Generation;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform generate`: continue a prompt (or answer it as a chat turn) and stream the text.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var prompt = new Option<string>("--prompt") { Description = "The prompt text.", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Send the prompt as a user message through the model's chat template." };
        var stopIds = new Option<string?>("--stop-token-ids") { Description = "Extra token ids that end generation, comma-separated." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: prompt ids, generated ids, text, timings." };
        var command = new Command("generate", "Generate text from a local model.") { prompt, chat, stopIds, json };
        model.AddTo(command);
        command.SetAction(pr =>
        {
            EngineStartup.CheckBlas();
            var loadClock = Stopwatch.StartNew();
            using var local = model.Load(pr);
            var loadMs = loadClock.Elapsed.TotalMilliseconds;
            if (local.TemplateWarning is { } warning && pr.GetValue(chat)) Console.Error.WriteLine($"warning: {warning}");

            var text = pr.GetValue(prompt)!;
            var promptIds = pr.GetValue(chat)
                ? local.Tokenizer.Encode(local.RenderChat([new("user", text)], addGenerationPrompt: true), addSpecialTokens: false)
                : local.Tokenizer.Encode(text);
            var stops = new HashSet<int>(local.StopTokenIds);
            foreach (var id in (pr.GetValue(stopIds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                stops.Add(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
            var maxNew = pr.GetValue(model.MaxNewTokens) ?? local.Generation.MaxNewTokens ?? 256;
            maxNew = Math.Min(maxNew, local.ContextLength - promptIds.Length);
            if (maxNew < 1) throw new ContextLengthException(promptIds.Length, 1, local.ContextLength);

            var asJson = pr.GetValue(json);
            var decoder = local.Tokenizer.CreateStreamingDecoder();
            using var session = new GenerationSession(local.Model, new GenerationRequest([promptIds], maxNew, model.Sampling(pr), stops));
            var clock = Stopwatch.StartNew();
            session.Step();
            var firstTokenMs = clock.Elapsed.TotalMilliseconds;
            var written = 0;
            void Emit()
            {
                var generated = session.Generated(0);
                for (; written < generated.Count; written++)
                    if (!asJson) Console.Write(decoder.Push(generated[written]));
            }
            Emit();
            while (!session.IsDone)
            {
                session.Step();
                Emit();
            }
            var totalMs = clock.Elapsed.TotalMilliseconds;
            if (!asJson)
            {
                Console.WriteLine(decoder.Flush());
                return 0;
            }
            var ids = session.Generated(0).ToArray();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                prompt_ids = promptIds,
                generated_ids = ids,
                text = local.Tokenizer.Decode(ids, skipSpecialTokens: true),
                finish_reason = session.Reasons[0].ToString(),
                timings = new
                {
                    load_ms = loadMs,
                    time_to_first_token_ms = firstTokenMs,
                    total_ms = totalMs,
                    decode_tokens_per_second = ids.Length > 1 ? (ids.Length - 1) / ((totalMs - firstTokenMs) / 1000) : 0,
                },
            }));
            return 0;
        });
        return command;
    }
}
