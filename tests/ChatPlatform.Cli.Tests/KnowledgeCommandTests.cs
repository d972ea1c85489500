namespace ChatPlatform.Cli.Tests;

/// <summary>
/// knowledge add, ask and rag eval as a user runs them, on a two-document fixture: BM25 only, then with the tiny BERT
/// sentence encoder committed under tests/ChatPlatform.Llm.Tests (random weights: it drives the dense path end to end,
/// its rankings mean nothing).
/// </summary>
public sealed class KnowledgeCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("chatplatform-cli-knowledge-").FullName;
    private readonly string docs;
    private readonly string eval;

    private static string TinyBert => Path.Combine(ChatPlatform.Llm.Tests.TestPaths.RepositoryRoot,
        "tests", "ChatPlatform.Llm.Tests", "Models", "Bert", "reference", "tiny-bert");

    public KnowledgeCommandTests()
    {
        docs = Directory.CreateDirectory(Path.Combine(root, "docs")).FullName;
        File.WriteAllText(Path.Combine(docs, "router.md"),
            "# Router setup\n\n## Reset\n\nHold the reset button for ten seconds until the light blinks amber.\n");
        File.WriteAllText(Path.Combine(docs, "billing.md"),
            "# Billing\n\n## Refunds\n\nRefunds reach your card within five business days after approval.\n");
        eval = Path.Combine(root, "eval.jsonl");
        File.WriteAllLines(eval,
        [
            """{"question": "how long do I hold the reset button", "expected_document": "docs/router.md", "expected_heading": "Reset"}""",
            """{"question": "when do refunds reach my card", "expected_document": "docs/billing.md", "expected_heading": "Refunds"}""",
        ]);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Bm25_only_add_ask_and_eval()
    {
        var data = Path.Combine(root, "data-bm25");
        var add = CliRunner.Run("knowledge", "add", docs, "--data-dir", data);
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("2 of 2 files indexed, BM25 only", add.Stdout);
        Assert.Equal(2, add.Stdout.Split('\n').Count(l => l.StartsWith("added", StringComparison.Ordinal)));
        Assert.Contains("unchanged", CliRunner.Run("knowledge", "add", docs, "--data-dir", data).Stdout);

        var ask = CliRunner.Run("ask", "reset button", "--data-dir", data);
        Assert.True(ask.ExitCode == 0, ask.Stderr);
        Assert.StartsWith("[1] Router setup > Reset", ask.Stdout);
        Assert.DoesNotContain("Billing", ask.Stdout);
        Assert.Contains("BM25 only", ask.Stderr);

        var scores = CliRunner.Run("rag", "eval", "--data", eval, "--data-dir", data);
        Assert.True(scores.ExitCode == 0, scores.Stderr);
        Assert.Matches(@"bm25\s+1\.000\s+1\.000", scores.Stdout);
        Assert.DoesNotMatch(@"\n\s+dense\s+\d", scores.Stdout);
        Assert.Contains("not measured without --embedding-model", scores.Stdout);
    }

    [Fact]
    public void With_an_embedding_model_chunks_get_vectors_and_eval_prints_three_modes()
    {
        var data = Path.Combine(root, "data-dense");
        var add = CliRunner.Run("knowledge", "add", docs, "--data-dir", data, "--embedding-model", TinyBert);
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Contains("2 of 2 files indexed, BM25 + dense (", add.Stdout);
        Assert.Contains("embedded vectors", add.Stdout);

        var ask = CliRunner.Run("ask", "reset button", "--data-dir", data, "--embedding-model", TinyBert);
        Assert.True(ask.ExitCode == 0, ask.Stderr);
        // BM25 ranks the router first and only the dense side can add the other document, so fusion keeps it first.
        Assert.StartsWith("[1] Router setup > Reset", ask.Stdout);
        Assert.Matches(@"scores: hybrid 0\.\d+\s+bm25 \d+\.\d+ \(#1\)\s+dense -?\d\.\d+ \(#\d\)", ask.Stdout);
        Assert.DoesNotContain("BM25 only", ask.Stderr);

        var scores = CliRunner.Run("rag", "eval", "--data", eval, "--data-dir", data, "--embedding-model", TinyBert);
        Assert.True(scores.ExitCode == 0, scores.Stderr);
        Assert.Matches(@"bm25\s+1\.000\s+1\.000", scores.Stdout);
        Assert.Matches(@"dense\s+1\.000\s+\d\.\d{3}", scores.Stdout);   // two documents, k = 5: recall is 1 whatever the order
        Assert.Matches(@"hybrid\s+1\.000\s+\d\.\d{3}", scores.Stdout);

        // The same database without the model: BM25 still answers, and says dense is off.
        var bm25 = CliRunner.Run("ask", "refunds", "--data-dir", data);
        Assert.StartsWith("[1] Billing > Refunds", bm25.Stdout);
    }

    [Fact]
    public void Qdrant_settings_are_checked_before_any_work()
    {
        var data = Path.Combine(root, "data-qdrant");
        var noModel = CliRunner.Run("ask", "reset", "--data-dir", data, "--vector-store", "qdrant", "--qdrant-url", "http://127.0.0.1:9");
        Assert.Equal(1, noModel.ExitCode);
        Assert.Equal("error: --vector-store qdrant holds dense vectors: give --embedding-model DIR too", noModel.Stderr.Trim());

        var noUrl = CliRunner.Run("knowledge", "add", docs, "--data-dir", data, "--vector-store", "qdrant", "--embedding-model", TinyBert);
        Assert.Equal(1, noUrl.ExitCode);
        Assert.Equal("error: --vector-store qdrant needs --qdrant-url URL", noUrl.Stderr.Trim());

        var down = CliRunner.Run("knowledge", "add", docs, "--data-dir", data, "--vector-store", "qdrant", "--qdrant-url", "http://127.0.0.1:9",
                                 "--embedding-model", TinyBert);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("error: Qdrant at http://127.0.0.1:9/ is unreachable", down.Stderr);
        Assert.DoesNotContain("added", down.Stdout);
    }

    [Fact]
    public void Examples_from_documents_take_the_knowledge_base_sections()
    {
        File.WriteAllText(Path.Combine(docs, "faq.md"),
            "# FAQ\n\n### How long do refunds take?\n\nFive business days after approval.\n\n### Do you ship abroad?\n\nYes, within the EU.\n");
        File.WriteAllText(Path.Combine(docs, "empty.txt"), "");
        var data = Path.Combine(root, "data-examples");

        var generate = CliRunner.Run("examples", "generate", "--from", "documents", "--docs", docs, "--data-dir", data);

        Assert.True(generate.ExitCode == 0, generate.Stderr);
        Assert.Contains("created:          2", generate.Stdout);   // the two FAQ entries; other sections need a teacher
        Assert.Contains("skipped", generate.Stderr);               // the empty file, named, and the others went on
        Assert.Contains("empty.txt", generate.Stderr);
        var list = CliRunner.Run("examples", "list", "--data-dir", data);
        Assert.Contains("How long do refunds take?", list.Stdout);
        Assert.Contains("Do you ship abroad?", list.Stdout);
    }
}
