using System.Text.Json;

namespace ChatPlatform.Cli.Tests;

public sealed class CommandTests
{
    [Fact]
    public void GenerateJsonReproducesTheReferenceGreedyIds()
    {
        var model = CliRunner.SharedModel("stories260K-hf");
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
        var model = CliRunner.SharedModel("stories260K-hf");
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
        var model = CliRunner.SharedModel("stories260K-hf");
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
}
