using System.Text.Json;

namespace ChatPlatform.Cli.Tests;

public sealed class CommandTests
{
    [Fact]
    public void GenerateJsonReproducesTheReferenceGreedyIds()
    {
        var model = ChatPlatform.Llm.Tests.SharedModels.Folder(ChatPlatform.Llm.Tests.SharedModels.Stories260K);
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "reference.json"))).RootElement
            .GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == "once_upon_a_time_64");
        var (code, stdout, stderr) = CliRunner.Run("generate", "--model", model, "--prompt", "Once upon a time", "--max-new-tokens", "60",
            "--stop-token-ids", "1", "--json");
        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        int[] Ids(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
        Assert.Equal(Ids(reference.GetProperty("prompt_ids")), Ids(result.GetProperty("prompt_ids")));
        Assert.Equal(Ids(reference.GetProperty("generated_ids")), Ids(result.GetProperty("generated_ids")));
        Assert.True(result.GetProperty("timings").GetProperty("total_ms").GetDouble() > 0);
    }

    [Fact]
    public void TokenizeEncodesEachInputLineAndDecodesBack()
    {
        var model = ChatPlatform.Llm.Tests.SharedModels.Folder(ChatPlatform.Llm.Tests.SharedModels.Stories260K);
        var input = Path.GetTempFileName();
        File.WriteAllLines(input, ["\"Once upon a time\"", "\"Lily and Tom went to the park\""]);
        var (code, stdout, stderr) = CliRunner.Run("tokenize", "--model", model, "--input", input);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("[1,403,407,261,378]", lines[0]);

        File.WriteAllLines(input, lines);
        var decoded = CliRunner.Run("tokenize", "--model", model, "--input", input, "--decode", "--no-special");
        Assert.Equal(["\"Once upon a time\"", "\"Lily and Tom went to the park\""], decoded.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        File.Delete(input);
    }

    [Fact]
    public void BadInputIsOneClearLineAndExitCodeOne()
    {
        var model = ChatPlatform.Llm.Tests.SharedModels.Folder(ChatPlatform.Llm.Tests.SharedModels.Stories260K);
        var (code, _, stderr) = CliRunner.Run("tokenize", "--model", model, "--text", "[1, 99999]", "--decode");
        Assert.Equal(1, code);
        Assert.Equal("error: --text: token id 99999 is outside the vocabulary (0..511)", stderr.Trim());
        var missing = CliRunner.Run("generate", "--model", "/no/such/model", "--prompt", "x");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr);
    }

    [Fact]
    public void BenchEnginePrintsOneJsonObjectOfFigures()
    {
        var (code, stdout, stderr) = CliRunner.Run("bench", "engine", "--json", "--n", "128");
        Assert.True(code == 0, stderr);
        var figures = JsonDocument.Parse(stdout).RootElement;
        foreach (var key in new[] { "matmul_gflops_binding", "matmul_gflops_direct", "tiny_add_ns_binding", "tiny_add_ns_direct" })
            Assert.True(figures.GetProperty(key).GetDouble() > 0, key);
    }

    [Fact]
    public void BenchServeDrivesConcurrentStreamingClientsAndPrintsTheFigures()
    {
        var model = ChatPlatform.Llm.Tests.SharedModels.Folder(ChatPlatform.Llm.Tests.SharedModels.Stories260K);
        var (code, stdout, stderr) = CliRunner.Run("bench", "serve", "--model", model, "--clients", "1,3", "--seconds", "1",
            "--max-tokens", "8", "--warmup", "1", "--json");
        Assert.True(code == 0, stderr);
        var figures = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("serve", figures.GetProperty("bench").GetString());
        Assert.Equal(1, figures.GetProperty("warmup_seconds").GetDouble());
        var runs = figures.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([1, 3], runs.Select(r => r.GetProperty("clients").GetInt32()));
        foreach (var run in runs)
        {
            Assert.True(run.GetProperty("requests_done").GetInt32() >= run.GetProperty("clients").GetInt32(), run.GetRawText());
            Assert.Equal(run.GetProperty("requests_started").GetInt32(), run.GetProperty("requests_done").GetInt32());
            Assert.Equal(0, run.GetProperty("errors").GetInt32());
            Assert.Equal(0, run.GetProperty("lost").GetInt32());
            foreach (var key in new[] { "ttft_p50_ms", "ttft_p95_ms", "tokens_per_second_per_stream", "tokens_per_second_total" })
                Assert.True(run.GetProperty(key).GetDouble() > 0, key);
            // The bench repeats its prompts and the warm-up has sent each of them: the prompt cache supplies most tokens.
            Assert.InRange(run.GetProperty("prompt_tokens_cached_share").GetDouble(), 0.5, 0.999);
        }
        var bad = CliRunner.Run("bench", "serve", "--model", model, "--clients", "4,x");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--clients: 'x' is not a positive whole number", bad.Stderr);
    }
}

public sealed class FineTuneCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "chatplatform-cli-" + Guid.NewGuid().ToString("N"));

    public FineTuneCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Data(bool withBadLine)
    {
        var path = Path.Combine(folder, "data.jsonl");
        var names = new[] { "Lily", "Tom", "Sam", "Anna", "Ben", "Mia", "Max", "Zoe", "Leo", "Ella" };
        var lines = names.Select(n => JsonSerializer.Serialize(new
        {
            messages = new object[]
            {
                new { role = "user", content = $"Who is {n}?" },
                new { role = "assistant", content = $"{n} is a little friend who likes to play in the park." },
            },
        })).ToList();
        if (withBadLine) lines.Insert(3, """{"messages": [{"role": "user", "content": "no answer"}]}""");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void TrainWritesAPeftAdapterThatEvalAndMergeUse()
    {
        var model = ChatPlatform.Llm.Tests.SharedModels.Folder(ChatPlatform.Llm.Tests.SharedModels.Stories260K);
        var bad = CliRunner.Run("train", "--model", model, "--data", Data(withBadLine: true), "--out", Path.Combine(folder, "run"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("data.jsonl:4: messages: no assistant turn", bad.Stderr);

        var run = Path.Combine(folder, "run");
        var (code, stdout, stderr) = CliRunner.Run("train", "--model", model, "--data", Data(withBadLine: true), "--skip-invalid", "--out", run,
            "--epochs", "2", "--batch-size", "3", "--learning-rate", "5e-3", "--lora-r", "8");
        Assert.True(code == 0, stderr);
        var losses = stdout.Split('\n').Where(l => l.StartsWith("step=", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ').First(p => p.StartsWith("loss=", StringComparison.Ordinal))[5..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(6, losses.Count);               // 9 training examples (10% held out), batches of 3, 2 epochs
        Assert.True(losses[^1] < losses[0], $"loss did not fall: {string.Join(", ", losses)}");
        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors", "manifest.json", "metrics.jsonl" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "manifest.json"))).RootElement;
        Assert.Equal(1, manifest.GetProperty("data").GetProperty("report").GetProperty("skipped").GetArrayLength());
        Assert.Equal(64, manifest.GetProperty("data").GetProperty("train_sha256").GetString()!.Length);
        var before = manifest.GetProperty("eval_before").GetProperty("eval_loss").GetDouble();
        var after = manifest.GetProperty("eval_after").GetProperty("eval_loss").GetDouble();
        Assert.True(after < before, $"eval loss {before} -> {after}");

        var eval = CliRunner.Run("eval", "--model", model, "--adapter", run, "--data", Data(false), "--generation-examples", "2",
            "--max-new-tokens", "16", "--out", Path.Combine(folder, "eval.json"));
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("ROUGE-L F1", eval.Stdout);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "eval.json"))).RootElement;
        Assert.True(report.GetProperty("eval_loss").GetDouble() < before);

        var merged = Path.Combine(folder, "merged");
        var merge = CliRunner.Run("merge", "--model", model, "--adapter", run, "--out", merged);
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        var viaAdapter = CliRunner.Run("generate", "--model", model, "--adapter", run, "--prompt", "Who is Lily?", "--max-new-tokens", "12", "--json");
        var viaMerged = CliRunner.Run("generate", "--model", merged, "--prompt", "Who is Lily?", "--max-new-tokens", "12", "--json");
        Assert.Equal(JsonDocument.Parse(viaAdapter.Stdout).RootElement.GetProperty("generated_ids").GetRawText(),
            JsonDocument.Parse(viaMerged.Stdout).RootElement.GetProperty("generated_ids").GetRawText());
    }
}
