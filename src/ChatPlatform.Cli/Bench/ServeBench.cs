using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ChatPlatform.Llm.Generation;
using ChatPlatform.Web;
using ChatPlatform.Web.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Cli.Bench;

/// <summary>
/// `chatplatform bench serve`: starts the OpenAI-compatible server on 127.0.0.1 (a free port) with a small model and,
/// for each client count, drives that many concurrent streaming clients for a bounded time; prints time to first
/// token, tokens/s per stream and in total, errors and lost requests per client count.
/// </summary>
internal static class ServeBench
{
    private const string DefaultModelName = "stories260K-hf";

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = $"A Hugging Face chat model folder (default: shared/models/{DefaultModelName} above the current directory, when present)." };
        var clients = new Option<string>("--clients") { DefaultValueFactory = _ => "1,4,16,64", Description = "Concurrent streaming clients per run, comma-separated." };
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 10, Description = "How long each run starts new requests (those started finish after)." };
        var maxTokens = new Option<int>("--max-tokens") { DefaultValueFactory = _ => 64, Description = "max_tokens of each request." };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 0.8, Description = "Sampling temperature of the requests (0 = greedy); each request has its own seed." };
        var synthetic = new Option<bool>("--synthetic")
        {
            Description = "Serve a random ~85M-parameter Llama (hidden 768, 12 layers) with the model folder's tokenizer: a size where decoding is bound by reading the weights, as real models are, rather than by per-token overhead.",
        };
        var warmup = new Option<double>("--warmup")
        {
            DefaultValueFactory = _ => 6,
            Description = "Seconds of unmeasured load before the runs (half with one client, half with the largest count up to 16), so the runtime's tiered JIT has compiled the hot paths.",
        };
        var promptCache = new Option<int?>("--prompt-cache-mb")
        {
            Description = "The server's Serving:PromptCacheMegabytes (default: the server's default). The bench's prompts repeat, so with a cache "
                + "every request after the first of its kind reuses all but its last prompt token; 0 measures full prefills.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the figures." };
        var command = new Command("serve", "Concurrent streaming clients against the OpenAI-compatible server: time to first token and tokens/s.")
        {
            model, clients, seconds, maxTokens, temperature, synthetic, warmup, promptCache, json,
        };
        command.SetAction(async (pr, ct) =>
        {
            var folder = pr.GetValue(model) ?? FindDefaultModel();
            if (folder is null)
            {
                Console.Error.WriteLine($"bench serve: give --model DIR (no shared/models/{DefaultModelName} found above {Environment.CurrentDirectory})");
                return 2;
            }
            if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"bench serve: model folder {folder} does not exist");
            var counts = ParseCounts(pr.GetValue(clients)!);
            var duration = TimeSpan.FromSeconds(pr.GetValue(seconds));
            if (duration <= TimeSpan.Zero) throw new ArgumentException("bench serve: --seconds must be > 0");
            var tokens = pr.GetValue(maxTokens);
            if (tokens < 1) throw new ArgumentException("bench serve: --max-tokens must be >= 1");
            var warm = TimeSpan.FromSeconds(pr.GetValue(warmup));
            if (pr.GetValue(promptCache) is < 0) throw new ArgumentException("bench serve: --prompt-cache-mb must be >= 0");
            if (warm < TimeSpan.Zero) throw new ArgumentException("bench serve: --warmup must be >= 0");
            using var random = pr.GetValue(synthetic) ? SyntheticServedModel(folder) : null;
            var label = random is null ? folder : $"random ~85M-parameter Llama (hidden 768, 12 layers) with the tokenizer of {folder}";
            return await RunAsync(random?.Folder ?? folder, label, counts, duration, warm, new RequestShape(tokens, pr.GetValue(temperature)),
                pr.GetValue(promptCache), pr.GetValue(json), ct);
        });
        return command;
    }

    internal static int[] ParseCounts(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"bench serve: --clients: '{p}' is not a positive whole number")).ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException("bench serve: --clients needs at least one count");
    }

    /// <summary>A random Llama at a realistic size, speaking through the tokenizer (and chat template) of <paramref name="folder"/>.</summary>
    private static SyntheticModel SyntheticServedModel(string folder)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        var vocab = config.RootElement.GetProperty("vocab_size").GetInt32();
        var model = new SyntheticModel(vocab: vocab);
        foreach (var name in new[] { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json" })
            if (File.Exists(Path.Combine(folder, name))) File.Copy(Path.Combine(folder, name), Path.Combine(model.Folder, name));
        return model;
    }

    /// <summary>shared/models/stories260K-hf in the current directory or one above it (the repository sits beside shared/).</summary>
    private static string? FindDefaultModel()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "models", DefaultModelName);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static async Task<int> RunAsync(string folder, string label, int[] counts, TimeSpan duration, TimeSpan warmup, RequestShape shape,
        int? promptCacheMegabytes, bool json, CancellationToken ct)
    {
        EngineStartup.CheckBlas();
        void Progress(string what)
        {
            if (!json) Console.Error.Write($"\r{what,-50}");
        }

        Progress("starting the server");
        var maxClients = counts.Max();
        // Everyone is admitted (the queue holds every client) and no rate limit applies: the bench measures the
        // engine and the server, not the limits that protect them. Request logs would flood the console; warnings go to stderr.
        var settings = new Dictionary<string, string?>
        {
            [$"{ServingOptions.Section}:{nameof(ServingOptions.MaxQueueLength)}"] = maxClients.ToString(CultureInfo.InvariantCulture),
            [$"{ServingOptions.Section}:{nameof(ServingOptions.RequestsPerMinute)}"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",   // stdout carries the figures alone
        };
        if (promptCacheMegabytes is { } megabytes)
            settings[$"{ServingOptions.Section}:{nameof(ServingOptions.PromptCacheMegabytes)}"] = megabytes.ToString(CultureInfo.InvariantCulture);
        await using var app = ServingHost.Build(new ServingOptions { Model = folder }, "http://127.0.0.1:0", settings);
        await app.StartAsync(ct);
        var address = new Uri(app.Urls.First());
        var serving = app.Services.GetRequiredService<IOptions<ServingOptions>>().Value;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxClients + 4 })
        {
            BaseAddress = address,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var modelId = serving.ChatModelId;
        // Warm-up: .NET compiles hot methods again, optimised, after they have run a while (tiered JIT), and that
        // compiler thread took a core's third for the first ~20 s. A run measured during it mostly measures the JIT,
        // which is why the single request that used to be the whole warm-up gave figures that jumped between runs.
        Progress($"warming up for {warmup.TotalSeconds:F0} s");
        await StreamOneAsync(http, modelId, 0, 0, shape, ct);
        if (warmup > TimeSpan.Zero)
        {
            await DriveAsync(http, modelId, 1, warmup / 2, shape, ct);
            await DriveAsync(http, modelId, Math.Min(maxClients, InferenceWorker.DefaultMaxBatchSize), warmup / 2, shape, ct);
        }

        var runs = new List<RunFigures>();
        foreach (var n in counts)
        {
            Progress($"{n} client(s) for {duration.TotalSeconds:F0} s");
            runs.Add(await DriveAsync(http, modelId, n, duration, shape, ct));
        }
        await app.StopAsync(ct);
        if (!json) Console.Error.Write($"\r{"",-50}\r");
        Print(runs, label, duration, warmup, shape, serving, json);
        return 0;
    }

    /// <summary>One run: n clients, each sending streamed requests back to back until the deadline.</summary>
    private static async Task<RunFigures> DriveAsync(HttpClient http, string modelId, int n, TimeSpan duration, RequestShape shape, CancellationToken ct)
    {
        var results = new List<RequestResult>();
        // A request still unanswered this long after the run's deadline counts as lost (a hung server ends the run).
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(ct);
        grace.CancelAfter(duration + LostAfter);
        var clock = Stopwatch.StartNew();
        async Task Client(int client)
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var result = await StreamOneAsync(http, modelId, client, i, shape, grace.Token);
                lock (results) results.Add(result);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, n).Select(Client));
        var wall = clock.Elapsed.TotalSeconds;
        var done = results.Where(r => r.Outcome == Outcome.Done).ToList();
        var ttft = done.Where(r => r.FirstTokenSeconds is not null).Select(r => r.FirstTokenSeconds!.Value * 1000).Order().ToList();
        var perStream = done.Where(r => r.Tokens > 1 && r.FirstTokenSeconds is not null && r.Seconds > r.FirstTokenSeconds)
            .Select(r => (r.Tokens - 1) / (r.Seconds - r.FirstTokenSeconds!.Value)).ToList();
        return new RunFigures(n, results.Count, done.Count, results.Count(r => r.Outcome == Outcome.Error),
            results.Count(r => r.Outcome == Outcome.Lost), Percentile(ttft, 0.5), Percentile(ttft, 0.95),
            perStream.Count > 0 ? perStream.Average() : 0, done.Sum(r => r.Tokens) / wall, wall,
            done.Sum(r => r.PromptTokens) is > 0 and var prompts ? (double)done.Sum(r => r.CachedPromptTokens) / prompts : 0,
            results.Where(r => r.Outcome != Outcome.Done).Select(r => r.Detail).FirstOrDefault());
    }

    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(120);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>What every request asks for.</summary>
    private sealed record RequestShape(int MaxTokens, double Temperature);

    private enum Outcome { Done, Error, Lost }

    /// <param name="PromptTokens">usage.prompt_tokens, and of them <paramref name="CachedPromptTokens"/> from the server's prompt cache.</param>
    private sealed record RequestResult(Outcome Outcome, int Tokens, double? FirstTokenSeconds, double Seconds, string? Detail = null,
        int PromptTokens = 0, int CachedPromptTokens = 0);

    /// <summary>
    /// One streamed completion. Done: the stream ended with [DONE] after a finish_reason. Error: a non-200 answer or an
    /// error event. Lost: anything else (the stream broke off, or the request failed to get an answer).
    /// </summary>
    private static async Task<RequestResult> StreamOneAsync(HttpClient http, string modelId, int client, int index, RequestShape shape,
        CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = modelId,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, object> { ["include_usage"] = true },
            ["max_tokens"] = shape.MaxTokens,
            ["temperature"] = shape.Temperature,
            ["seed"] = client * 1000 + index,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = Prompts[(client + index) % Prompts.Length] } },
        });
        var clock = Stopwatch.StartNew();
        double? firstToken = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                return new(Outcome.Error, 0, null, clock.Elapsed.TotalSeconds, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            int? usageTokens = null;
            int promptTokens = 0, cachedTokens = 0;
            var finished = false;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var data = line["data: ".Length..];
                if (data == "[DONE]")
                    return finished && usageTokens is { } count
                        ? new(Outcome.Done, count, firstToken, clock.Elapsed.TotalSeconds, null, promptTokens, cachedTokens)
                        : new(Outcome.Lost, 0, firstToken, clock.Elapsed.TotalSeconds, "[DONE] without a finish_reason or usage");
                using var chunk = JsonDocument.Parse(data);
                var root = chunk.RootElement;
                if (root.TryGetProperty("error", out var error))
                    return new(Outcome.Error, 0, firstToken, clock.Elapsed.TotalSeconds, "error event: " + error.GetRawText());
                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                {
                    usageTokens = usage.GetProperty("completion_tokens").GetInt32();
                    promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
                    if (usage.TryGetProperty("prompt_tokens_details", out var details) && details.TryGetProperty("cached_tokens", out var cached))
                        cachedTokens = cached.GetInt32();
                }
                foreach (var choice in root.GetProperty("choices").EnumerateArray())
                {
                    if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String) finished = true;
                    if (firstToken is null && choice.GetProperty("delta").TryGetProperty("content", out var content)
                        && content.GetString() is { Length: > 0 })
                        firstToken = clock.Elapsed.TotalSeconds;
                }
            }
            return new(Outcome.Lost, 0, firstToken, clock.Elapsed.TotalSeconds, "the stream ended without [DONE]");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new(Outcome.Lost, 0, firstToken, clock.Elapsed.TotalSeconds, $"no end {LostAfter.TotalSeconds:F0} s after the run's deadline");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return new(Outcome.Lost, 0, firstToken, clock.Elapsed.TotalSeconds, e.GetType().Name + ": " + e.Message);
        }
    }

    private static readonly string[] Prompts =
    [
        "Once upon a time",
        "Tell me a story about a little dog who found a ball in the park.",
        "Lily and Ben went to the beach.",
        "What did the cat do?",
        "Write a short story about a girl, a tree and a very big red kite that flew away one windy day.",
        "Tom had a toy car.",
    ];

    private sealed record RunFigures(int Clients, int Started, int Done, int Errors, int Lost, double TtftP50Ms, double TtftP95Ms,
        double TokensPerSecondPerStream, double TokensPerSecondTotal, double WallSeconds, double CachedPromptShare, string? FirstProblem);

    private static void Print(List<RunFigures> runs, string label, TimeSpan duration, TimeSpan warmup, RequestShape shape, ServingOptions serving,
        bool json)
    {
        var single = runs.FirstOrDefault(r => r.Clients == 1)?.TokensPerSecondTotal;
        double? Speedup(RunFigures r) => single is > 0 ? r.TokensPerSecondTotal / single : null;
        var notes = new List<string>
        {
            $"model {label}; requests stream max_tokens {shape.MaxTokens} at temperature {shape.Temperature.ToString(CultureInfo.InvariantCulture)}; each run starts requests for {duration.TotalSeconds:F0} s and waits for them to end",
            $"after {warmup.TotalSeconds:F0} s of unmeasured load (--warmup)",
            $"server: {serving.MaxConcurrentRequests} requests handed to the inference thread at once, batches of up to {InferenceWorker.DefaultMaxBatchSize}; queue sized to the clients, rate limit off",
            serving.PromptCacheMegabytes > 0
                ? $"prompt cache {serving.PromptCacheMegabytes} MB: the bench cycles through {Prompts.Length} prompts, so a request after the first of its kind reuses all but its last prompt token (--prompt-cache-mb 0: full prefills)"
                : "prompt cache off: every prompt is prefilled in full",
            "tok/s per stream: (completion tokens - 1) / (end - first token), averaged over requests; total: completion tokens of finished requests / the run's wall time; cached: share of prompt tokens the prompt cache supplied (usage.prompt_tokens_details)",
            $"{Environment.ProcessorCount} cores; figures vary with whatever else the machine runs",
        };
        notes.AddRange(runs.Where(r => r.FirstProblem is not null).Select(r => $"{r.Clients} clients, first problem: {r.FirstProblem}"));
        if (json)
        {
            var obj = new Dictionary<string, object?>
            {
                ["bench"] = "serve",
                ["model"] = label,
                ["seconds"] = duration.TotalSeconds,
                ["warmup_seconds"] = warmup.TotalSeconds,
                ["max_tokens"] = shape.MaxTokens,
                ["temperature"] = shape.Temperature,
                ["max_batch"] = InferenceWorker.DefaultMaxBatchSize,
                ["prompt_cache_mb"] = serving.PromptCacheMegabytes,
                ["runs"] = runs.Select(r => new Dictionary<string, object?>
                {
                    ["clients"] = r.Clients,
                    ["requests_started"] = r.Started,
                    ["requests_done"] = r.Done,
                    ["errors"] = r.Errors,
                    ["lost"] = r.Lost,
                    ["ttft_p50_ms"] = Math.Round(r.TtftP50Ms, 2),
                    ["ttft_p95_ms"] = Math.Round(r.TtftP95Ms, 2),
                    ["tokens_per_second_per_stream"] = Math.Round(r.TokensPerSecondPerStream, 1),
                    ["tokens_per_second_total"] = Math.Round(r.TokensPerSecondTotal, 1),
                    ["total_vs_single_client"] = Speedup(r) is { } s ? Math.Round(s, 2) : null,
                    ["wall_seconds"] = Math.Round(r.WallSeconds, 2),
                    ["prompt_tokens_cached_share"] = Math.Round(r.CachedPromptShare, 3),
                }).ToList(),
                ["notes"] = notes,
            };
            Console.WriteLine(JsonSerializer.Serialize(obj));
            return;
        }
        Console.WriteLine("bench serve: concurrent streaming clients against /v1/chat/completions");
        Console.WriteLine($"  {"clients",7} {"done",6} {"errors",6} {"lost",5} {"ttft p50",10} {"ttft p95",10} {"tok/s/stream",13} {"tok/s total",12} {"vs 1",6} {"cached",7}");
        foreach (var r in runs)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Clients,7} {r.Done,6} {r.Errors,6} {r.Lost,5} {r.TtftP50Ms,8:F1}ms {r.TtftP95Ms,8:F1}ms {r.TokensPerSecondPerStream,13:F1} {r.TokensPerSecondTotal,12:F1} {(Speedup(r) is { } s ? s.ToString("F2", CultureInfo.InvariantCulture) + "x" : "-"),6} {r.CachedPromptShare,7:P0}"));
        foreach (var n in notes) Console.WriteLine($"  note: {n}");
    }
}
