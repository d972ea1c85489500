using ChatPlatform.Rag.Chunking;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Rag.Tests.Chunking;

public class ChunkerTests
{
    private static readonly ITokenCounter Counter = ApproximateTokenCounter.Instance;

    private static ParsedDocument Doc(params DocumentBlock[] blocks) => new("T", DocumentKind.Markdown, blocks);

    private static string Sentences(int n, string word) =>
        string.Join(" ", Enumerable.Range(0, n).Select(i => $"The {word} number {i} explains one more detail of the setup."));

    [Fact]
    public void Chunks_carry_their_heading_path_and_position()
    {
        var chunks = new Chunker(Counter, new ChunkingOptions()).Chunk("doc", Doc(
            new DocumentBlock(BlockKind.Paragraph, "Preface."),
            new DocumentBlock(BlockKind.Heading, "Setup", 1),
            new DocumentBlock(BlockKind.Heading, "Network", 2),
            new DocumentBlock(BlockKind.Paragraph, "Plug the cable."),
            new DocumentBlock(BlockKind.Heading, "Billing", 1),
            new DocumentBlock(BlockKind.Paragraph, "Pay monthly.")));
        Assert.Equal([("", "Preface."), ("Setup > Network", "Plug the cable."), ("Billing", "Pay monthly.")],
                     chunks.Select(c => (c.HeadingText, c.Text)));
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Position));
        Assert.All(chunks, c => Assert.Equal("doc", c.DocumentId));
    }

    [Fact]
    public void A_code_block_that_fits_is_never_cut_even_when_the_chunk_is_partly_full()
    {
        var code = "```python\n" + string.Join("\n", Enumerable.Range(0, 12).Select(i => $"print('line {i}')")) + "\n```";
        var options = new ChunkingOptions { MaxTokens = 120, OverlapTokens = 10 };
        Assert.True(Counter.CountTokens(code) <= 120);
        var chunks = new Chunker(Counter, options).Chunk("d", Doc(
            new DocumentBlock(BlockKind.Paragraph, Sentences(4, "step")),
            new DocumentBlock(BlockKind.Code, code),
            new DocumentBlock(BlockKind.Paragraph, "After.")));
        Assert.Contains(chunks, c => c.Text.Contains(code));
        Assert.Single(chunks, c => c.Text.Contains("print('line 0')"));
    }

    [Fact]
    public void Every_chunk_is_within_the_token_budget_and_nothing_is_lost()
    {
        var options = new ChunkingOptions { MaxTokens = 64, OverlapTokens = 12 };
        var longCode = "```\n" + string.Join("\n", Enumerable.Range(0, 60).Select(i => $"x{i} = compute({i})")) + "\n```";
        var table = "| a | b |\n|---|---|\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"| row{i} | value{i} |"));
        var chunks = new Chunker(Counter, options).Chunk("d", Doc(
            new DocumentBlock(BlockKind.Heading, "H", 1),
            new DocumentBlock(BlockKind.Paragraph, Sentences(30, "sentence")),
            new DocumentBlock(BlockKind.Code, longCode),
            new DocumentBlock(BlockKind.Table, table),
            new DocumentBlock(BlockKind.List, string.Join("\n", Enumerable.Range(0, 30).Select(i => $"- item {i} of the list")))));
        Assert.All(chunks, c => Assert.InRange(Counter.CountTokens(c.Text), 1, 64));
        Assert.All(chunks, c => Assert.Equal(Counter.CountTokens(c.Text), c.TokenCount));
        var all = string.Join("\n", chunks.Select(c => c.Text));
        foreach (var i in new[] { 0, 17, 29 }) Assert.Contains($"sentence number {i} ", all);
        foreach (var i in new[] { 0, 33, 59 }) Assert.Contains($"x{i} = compute({i})", all);
        foreach (var i in new[] { 0, 39 }) Assert.Contains($"| row{i} | value{i} |", all);
        // split code keeps its fences, split tables repeat their header
        Assert.All(chunks.Where(c => c.Text.Contains("compute(")), c => Assert.True(c.Text.StartsWith("```") && c.Text.EndsWith("```")));
        Assert.All(chunks.Where(c => c.Text.Contains("| row")), c => Assert.StartsWith("| a | b |\n|---|---|", c.Text));
        Assert.Contains(chunks, c => c.Text.Contains("- item 29 of the list"));
    }

    [Fact]
    public void A_split_section_repeats_its_last_sentence_as_overlap()
    {
        var options = new ChunkingOptions { MaxTokens = 60, OverlapTokens = 20 };
        var chunks = new Chunker(Counter, options).Chunk("d", Doc(new DocumentBlock(BlockKind.Paragraph, Sentences(12, "fact"))));
        Assert.True(chunks.Count >= 3);
        for (var i = 1; i < chunks.Count; i++)
        {
            var previousLast = chunks[i - 1].Text.Split(". ").Last().TrimEnd('.');
            Assert.StartsWith(previousLast, chunks[i].Text);
        }
    }

    [Fact]
    public void Ids_are_stable_for_the_same_content_and_change_with_it()
    {
        var chunker = new Chunker(Counter, new ChunkingOptions());
        var a = chunker.Chunk("doc", Doc(new DocumentBlock(BlockKind.Paragraph, "One."), new DocumentBlock(BlockKind.Heading, "H", 1),
                                         new DocumentBlock(BlockKind.Paragraph, "Two.")));
        var b = chunker.Chunk("doc", Doc(new DocumentBlock(BlockKind.Paragraph, "One."), new DocumentBlock(BlockKind.Heading, "H", 1),
                                         new DocumentBlock(BlockKind.Paragraph, "Two changed.")));
        var other = chunker.Chunk("other", Doc(new DocumentBlock(BlockKind.Paragraph, "One.")));
        Assert.Equal(a[0].Id, b[0].Id);
        Assert.NotEqual(a[1].Id, b[1].Id);
        Assert.NotEqual(a[0].Id, other[0].Id);
        Assert.Matches("^[0-9a-f]{32}$", a[0].Id);
        Assert.Equal(Chunk.MakeId("doc", 0, "One."), a[0].Id);
    }

    [Fact]
    public void Approximate_counter_counts_word_pieces_and_punctuation()
    {
        Assert.Equal(0, Counter.CountTokens(""));
        Assert.Equal(2, Counter.CountTokens("hi you"));
        Assert.Equal(5, Counter.CountTokens("internationalization"));  // ceil(20 / 4)
        Assert.Equal(4, Counter.CountTokens("e-mail!"));                // e, -, mail, !
    }

    [Fact]
    public void Invalid_options_fail_when_the_chunker_is_built()
    {
        Assert.Throws<ArgumentException>(() => new Chunker(Counter, new ChunkingOptions { MaxTokens = 100, OverlapTokens = 60 }));
        Assert.Throws<ArgumentException>(() => new Chunker(Counter, new ChunkingOptions { MaxTokens = 4 }));
    }
}
