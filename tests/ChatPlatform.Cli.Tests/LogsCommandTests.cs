namespace ChatPlatform.Cli.Tests;

public sealed class LogsCommandTests
{
    [Fact]
    public void Import_reports_counts_and_rejection_lines_then_list_shows_the_history()
    {
        var dir = Directory.CreateTempSubdirectory("chatplatform-cli-logs-").FullName;
        try
        {
            var file = Path.Combine(dir, "support.csv");
            File.WriteAllText(file, "Ticket,Author,Body\n"
                                    + "1,customer,\"Hi, my email is jane@example.com\"\n"
                                    + "1,agent,Thanks!\n"
                                    + "2,robot,beep\n");
            var data = Path.Combine(dir, "data");
            var (code, stdout, stderr) = CliRunner.Run("logs", "import", file, "--map", "ticket_id=Ticket,role=Author,text=Body", "--data-dir", data);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.StartsWith("support.csv (csv, redacted): 1 imported, 0 duplicates, 1 rejected", lines[0]);
            Assert.StartsWith("rejected support.csv:4: ticket 2: Author: unknown role 'robot'", lines[1]);

            var again = CliRunner.Run("logs", "import", file, "--format", "csv", "--map", "ticket_id=Ticket,role=Author,text=Body", "--data-dir", data);
            Assert.Contains("0 imported, 1 duplicates, 1 rejected", again.Stdout);

            var list = CliRunner.Run("logs", "list", "--data-dir", data);
            Assert.Equal(0, list.ExitCode);
            var rows = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
            Assert.Equal(2, rows.Length);
            Assert.All(rows, r => Assert.Contains("Completed", r));

            // The example settings parse, and their ORDER pattern applies.
            var orders = Path.Combine(dir, "orders.jsonl");
            File.WriteAllText(orders, """{"ticket_id":"9","messages":[{"role":"customer","text":"Where is PW-ORD-123456?"}]}""");
            var settings = Path.Combine(ChatPlatform.Llm.Tests.TestPaths.RepositoryRoot, "appsettings.example.json");
            var withSettings = CliRunner.Run("logs", "import", orders, "--settings", settings, "--data-dir", data);
            Assert.True(withSettings.ExitCode == 0, withSettings.Stderr);
            Assert.Contains("(jsonl, redacted): 1 imported", withSettings.Stdout);
            using (var db = new ChatPlatform.Core.Storage.PlatformDbContext(ChatPlatform.Core.Storage.PlatformDatabase.Initialize(data)))
                Assert.Contains(db.Turns.Select(t => t.Text).ToList(), t => t == "Where is [ORDER]?");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            var missing = CliRunner.Run("logs", "import", Path.Combine(dir, "nope.jsonl"), "--data-dir", data);
            Assert.Equal(1, missing.ExitCode);
            Assert.StartsWith("error: ", missing.Stderr.Trim());
            Assert.Contains("nope.jsonl: no such file", missing.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
