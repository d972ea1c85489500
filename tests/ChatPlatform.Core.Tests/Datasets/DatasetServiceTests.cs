using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatPlatform.Core.Datasets;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Core.Tests.Datasets;

public sealed class DatasetServiceTests : IDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    readonly TempDataDirectory dir = new();
    readonly DbContextOptions<PlatformDbContext> options;
    readonly DatasetService datasets;

    public DatasetServiceTests()
    {
        options = PlatformDatabase.Initialize(dir.Path);
        datasets = new DatasetService(options);
    }

    public void Dispose() => dir.Dispose();

    static readonly List<ExampleMessage>[] Samples =
    [
        [new("user", "Do you ship to Norway?"), new("assistant", "Yes — within 5-7 working days.")],
        [new("system", "You are Penguin Wood's assistant."), new("user", "Is the \"Oslo\" desk solid oak?"), new("assistant", "Yes, solid oak with an oil finish.")],
        [new("user", "How tall is it?"), new("assistant", "72 cm."), new("user", "And the width?"), new("assistant", "140 cm, løft included.")],
    ];

    async Task<List<long>> AddAsync(ExampleStatus status, params List<ExampleMessage>[] examples)
    {
        await using var db = new PlatformDbContext(options);
        var rows = examples.Select(m => new SftExample
        {
            Messages = [.. m], OriginalMessages = [.. m], Status = status, NormalizedHash = Guid.NewGuid().ToString("N"),
        }).ToList();
        db.Examples.AddRange(rows);
        await db.SaveChangesAsync(Ct);
        return [.. rows.Select(r => r.Id)];
    }

    [Fact]
    public async Task A_snapshot_without_approved_examples_is_an_error()
    {
        await AddAsync(ExampleStatus.Pending, Samples[0]);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => datasets.CreateSnapshotAsync(null, "anna", Ct));
        Assert.Contains("no approved examples", e.Message);
    }

    [Fact]
    public async Task Snapshots_are_versioned_frozen_and_hashed_over_canonical_json()
    {
        var ids = await AddAsync(ExampleStatus.Approved, Samples);
        await AddAsync(ExampleStatus.Rejected, [new ExampleMessage("user", "spam"), new ExampleMessage("assistant", "spam")]);

        var v1 = await datasets.CreateSnapshotAsync("first", "anna", Ct);

        // The hash written out by hand: canonical JSON of the items in order, SHA-256, lowercase hex.
        var canonical = """[{"messages":[{"role":"user","content":"Do you ship to Norway?"},{"role":"assistant","content":"Yes — within 5-7 working days."}]},{"messages":[{"role":"system","content":"You are Penguin Wood's assistant."},{"role":"user","content":"Is the \"Oslo\" desk solid oak?"},{"role":"assistant","content":"Yes, solid oak with an oil finish."}]},{"messages":[{"role":"user","content":"How tall is it?"},{"role":"assistant","content":"72 cm."},{"role":"user","content":"And the width?"},{"role":"assistant","content":"140 cm, løft included."}]}]""";
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), v1.ContentHash);
        Assert.Equal((1, 3), (v1.Version, v1.ExampleCount));

        // Editing an example afterwards changes neither the frozen items nor the hash; a new snapshot is version 2.
        await new Core.Review.ReviewService(options).EditAsync(ids[0], [new("user", "Do you ship to Norway?"), new("assistant", "Yes.")], "tom", cancellationToken: Ct);
        var v2 = await datasets.CreateSnapshotAsync(null, "anna", Ct);
        var frozen = await datasets.GetSnapshotByVersionAsync(1, Ct);
        Assert.Equal("Yes — within 5-7 working days.", frozen.Items[0].Messages[1].Content);
        Assert.Equal(v1.ContentHash, frozen.ContentHash);
        Assert.Equal(2, v2.Version);
        Assert.NotEqual(v1.ContentHash, v2.ContentHash);

        await using var db = new PlatformDbContext(options);
        db.SnapshotItems.First().Messages[0] = new("user", "tampered");
        Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
    }

    [Fact]
    public async Task Training_files_split_by_cluster_and_are_reproducible()
    {
        await using (var db = new PlatformDbContext(options))
        {
            for (var i = 0; i < 40; i++)
                db.Examples.Add(new SftExample
                {
                    Messages = [new("user", $"q{i}"), new("assistant", $"a{i}")], Status = ExampleStatus.Approved,
                    NormalizedHash = $"h{i}", DuplicateClusterId = i < 30 ? 1000 + i / 3 : null,
                });
            await db.SaveChangesAsync(Ct);
        }
        var snapshot = await datasets.CreateSnapshotAsync(null, "anna", Ct);

        var out1 = Path.Combine(dir.Path, "run1");
        var files = await datasets.WriteTrainingFilesAsync(snapshot.Id, out1, cancellationToken: Ct);
        var files2 = await datasets.WriteTrainingFilesAsync(snapshot.Id, Path.Combine(dir.Path, "run2"), cancellationToken: Ct);

        Assert.Equal(40, files.TrainCount + files.EvalCount);
        Assert.Equal(4, files.EvalCount);
        Assert.Equal(await File.ReadAllTextAsync(files.EvalPath, Ct), await File.ReadAllTextAsync(files2.EvalPath, Ct));
        int Index(string line) => int.Parse(JsonDocument.Parse(line).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()![1..]);
        string Cluster(int i) => i < 30 ? $"c{i / 3}" : $"e{i}";
        var train = (await File.ReadAllLinesAsync(files.TrainPath, Ct)).Select(Index).Select(Cluster).ToHashSet();
        var eval = (await File.ReadAllLinesAsync(files.EvalPath, Ct)).Select(Index).Select(Cluster).ToHashSet();
        Assert.Empty(train.Intersect(eval));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("sharegpt")]
    [InlineData("alpaca")]
    public async Task Export_then_import_round_trips(string formatName)
    {
        var format = DatasetFormats.Parse(formatName);
        await AddAsync(ExampleStatus.Approved, Samples);
        var path = Path.Combine(dir.Path, $"export.{formatName}.jsonl");
        Assert.Equal(3, await datasets.ExportAsync(format, path, null, "anna", Ct));

        using var other = new TempDataDirectory();
        var otherOptions = PlatformDatabase.Initialize(other.Path);
        var result = await new DatasetService(otherOptions).ImportAsync(path, format, approve: false, "tom", cancellationToken: Ct);

        Assert.Equal((3, 3, 0), (result.Lines, result.Imported, result.ExactDuplicates));
        await using var db = new PlatformDbContext(otherOptions);
        var imported = await db.Examples.OrderBy(e => e.Id).ToListAsync(Ct);
        Assert.Equal(Samples.Select(s => s.ToList()), imported.Select(e => e.Messages), new MessagesComparer());
        Assert.All(imported, e => Assert.Equal((ExampleOrigin.Manual, ExampleStatus.Pending), (e.Origin, e.Status)));
        Assert.Equal($"export.{formatName}.jsonl:1", imported[0].SourceId);
    }

    [Fact]
    public async Task Export_writes_each_documented_format()
    {
        await AddAsync(ExampleStatus.Approved, Samples[2]);
        var lines = new Dictionary<string, string>();
        foreach (var f in new[] { "openai", "sharegpt", "alpaca" })
        {
            var path = Path.Combine(dir.Path, f + ".jsonl");
            await datasets.ExportAsync(DatasetFormats.Parse(f), path, null, "anna", Ct);
            lines[f] = (await File.ReadAllTextAsync(path, Ct)).TrimEnd('\n');
        }
        Assert.Equal("""{"messages":[{"role":"user","content":"How tall is it?"},{"role":"assistant","content":"72 cm."},{"role":"user","content":"And the width?"},{"role":"assistant","content":"140 cm, løft included."}]}""", lines["openai"]);
        Assert.Equal("""{"conversations":[{"from":"human","value":"How tall is it?"},{"from":"gpt","value":"72 cm."},{"from":"human","value":"And the width?"},{"from":"gpt","value":"140 cm, løft included."}]}""", lines["sharegpt"]);
        Assert.Equal("""{"instruction":"And the width?","input":"","output":"140 cm, løft included.","history":[["How tall is it?","72 cm."]]}""", lines["alpaca"]);
    }

    [Theory]
    [InlineData("openai", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}\n\n{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "bad.jsonl:3: messages[0].role: unknown role 'robot'")]
    [InlineData("openai", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "bad.jsonl:1: the last message must be the assistant's")]
    [InlineData("sharegpt", "{\"conversations\":[{\"from\":\"human\"}]}", "bad.jsonl:1: conversations[0].value: missing")]
    [InlineData("alpaca", "{\"instruction\":\"hi\"}", "bad.jsonl:1: output: missing")]
    [InlineData("alpaca", "not json", "bad.jsonl:1: invalid JSON")]
    public async Task Import_errors_name_file_line_and_field_and_store_nothing(string format, string content, string expected)
    {
        var path = Path.Combine(dir.Path, "bad.jsonl");
        await File.WriteAllTextAsync(path, content, Ct);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => datasets.ImportAsync(path, DatasetFormats.Parse(format), false, "tom", cancellationToken: Ct));
        Assert.StartsWith(expected, e.Message);
        await using var db = new PlatformDbContext(options);
        Assert.Equal(0, await db.Examples.CountAsync(Ct));
    }

    [Fact]
    public async Task Import_can_approve_and_skips_exact_duplicates()
    {
        var path = Path.Combine(dir.Path, "in.jsonl");
        await File.WriteAllLinesAsync(path, [
            """{"instruction":"Do you ship to Norway?","input":"","output":"Yes."}""",
            """{"instruction":"do you ship to norway","output":"yes"}""",
        ], Ct);
        var result = await datasets.ImportAsync(path, DatasetFormat.Alpaca, approve: true, "tom", cancellationToken: Ct);
        Assert.Equal((2, 1, 1), (result.Lines, result.Imported, result.ExactDuplicates));
        await using var db = new PlatformDbContext(options);
        Assert.Equal(ExampleStatus.Approved, (await db.Examples.SingleAsync(Ct)).Status);
    }

    sealed class MessagesComparer : IEqualityComparer<List<ExampleMessage>>
    {
        public bool Equals(List<ExampleMessage>? x, List<ExampleMessage>? y) => x!.SequenceEqual(y!);
        public int GetHashCode(List<ExampleMessage> obj) => obj.Count;
    }
}
