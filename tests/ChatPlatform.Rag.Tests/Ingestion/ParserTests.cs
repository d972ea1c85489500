using System.IO.Compression;
using ChatPlatform.Rag.Ingestion;

namespace ChatPlatform.Rag.Tests.Ingestion;

public class ParserTests
{
    private static readonly IngestionLimits Limits = new();

    private static Task<LoadedDocument> Load(string path) => DocumentParser.LoadAsync(path, Limits, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Markdown_keeps_headings_lists_tables_and_code_as_blocks()
    {
        using var dir = new TempDirectory();
        var path = dir.File("guide.md", """
            # Router guide

            Intro paragraph.

            ## Reset

            - hold the button
            - wait 10 seconds

            | model | port |
            |---|---|
            | R100 | 8080 |

            ```bash
            reset --hard
            ```
            """);
        var parsed = (await Load(path)).Parsed;
        Assert.Equal(DocumentKind.Markdown, parsed.Kind);
        Assert.Equal("Router guide", parsed.Title);
        Assert.Equal([BlockKind.Heading, BlockKind.Paragraph, BlockKind.Heading, BlockKind.List, BlockKind.Table, BlockKind.Code],
                     parsed.Blocks.Select(b => b.Kind));
        Assert.Equal(2, parsed.Blocks[2].HeadingLevel);
        Assert.Contains("reset --hard", parsed.Blocks[5].Text);
        Assert.StartsWith("```bash", parsed.Blocks[5].Text);
    }

    [Fact]
    public async Task Plain_text_splits_paragraphs_at_blank_lines()
    {
        using var dir = new TempDirectory();
        var parsed = (await Load(dir.File("notes.txt", "First line\ncontinues.\n\n\nSecond paragraph.\n"))).Parsed;
        Assert.Equal(DocumentKind.PlainText, parsed.Kind);
        Assert.Equal(["First line\ncontinues.", "Second paragraph."], parsed.Blocks.Select(b => b.Text));
    }

    [Fact]
    public async Task Html_drops_scripts_and_keeps_structure()
    {
        using var dir = new TempDirectory();
        var parsed = (await Load(dir.File("page.html", """
            <!DOCTYPE html><html><head><title>Billing FAQ</title><style>p{}</style></head>
            <body><nav>Home | About</nav><h1>Billing</h1><p>Invoices are sent <b>monthly</b>.</p>
            <script>alert('x')</script><ul><li>Card</li><li>Transfer</li></ul>
            <table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>10</td></tr></table></body></html>
            """))).Parsed;
        Assert.Equal(DocumentKind.Html, parsed.Kind);
        Assert.Equal("Billing FAQ", parsed.Title);
        Assert.Equal([BlockKind.Heading, BlockKind.Paragraph, BlockKind.List, BlockKind.Table], parsed.Blocks.Select(b => b.Kind));
        Assert.Equal("Invoices are sent monthly.", parsed.Blocks[1].Text);
        Assert.Equal("- Card\n- Transfer", parsed.Blocks[2].Text);
        Assert.Equal("| Plan | Price |\n| Pro | 10 |", parsed.Blocks[3].Text);
        Assert.DoesNotContain(parsed.Blocks, b => b.Text.Contains("alert") || b.Text.Contains("About"));
    }

    [Fact]
    public async Task Docx_headings_come_from_paragraph_styles()
    {
        using var dir = new TempDirectory();
        var path = dir.File("manual.docx", Fixtures.Docx(("Heading1", "Installation"), (null, "Plug it in."), ("Heading2", "Network"),
                                                          ("ListParagraph", "Connect cable"), ("ListParagraph", "Press WPS")));
        var parsed = (await Load(path)).Parsed;
        Assert.Equal(DocumentKind.Docx, parsed.Kind);
        Assert.Equal("Installation", parsed.Title);
        Assert.Equal(
            [(BlockKind.Heading, "Installation", 1), (BlockKind.Paragraph, "Plug it in.", 0), (BlockKind.Heading, "Network", 2),
             (BlockKind.List, "- Connect cable\n- Press WPS", 0), (BlockKind.Table, "| Model | Port |\n| R100 | 8080 |", 0)],
            parsed.Blocks.Select(b => (b.Kind, b.Text, b.HeadingLevel)));
    }

    [Fact]
    public async Task Pdf_text_comes_from_pdftotext()
    {
        Assert.SkipUnless(Fixtures.HasPdfToText(), "pdftotext is not installed (apt-get install poppler-utils; scripts/setup.sh installs it)");
        using var dir = new TempDirectory();
        var parsed = (await Load(dir.File("sheet.pdf", Fixtures.Pdf("Warranty lasts two years")))).Parsed;
        Assert.Equal(DocumentKind.Pdf, parsed.Kind);
        Assert.Contains(parsed.Blocks, b => b.Text.Contains("Warranty lasts two years"));
    }

    [Fact]
    public async Task Encrypted_and_corrupt_pdfs_are_clear_errors()
    {
        Assert.SkipUnless(Fixtures.HasPdfToText(), "pdftotext is not installed (apt-get install poppler-utils; scripts/setup.sh installs it)");
        using var dir = new TempDirectory();
        var encrypted = await Assert.ThrowsAsync<DocumentParseException>(() => Load(dir.File("locked.pdf", Fixtures.EncryptedPdf())));
        Assert.Contains("encrypted", encrypted.Message);
        var corrupt = await Assert.ThrowsAsync<DocumentParseException>(() => Load(dir.File("broken.pdf", "%PDF-1.4\nnot a pdf at all"u8.ToArray())));
        Assert.Contains("broken.pdf", corrupt.Message);
    }

    [Fact]
    public async Task Faq_json_and_csv_become_question_sections()
    {
        using var dir = new TempDirectory();
        var json = (await Load(dir.File("faq.json", """{"faq": [{"question": "How do I pay?", "answer": "By card."}]}"""))).Parsed;
        Assert.Equal(DocumentKind.Faq, json.Kind);
        Assert.Equal([(BlockKind.Heading, "How do I pay?"), (BlockKind.Paragraph, "By card.")], json.Blocks.Select(b => (b.Kind, b.Text)));

        var csv = (await Load(dir.File("faq.csv", "question,answer\n\"Refunds, how?\",\"Within \"\"30\"\" days\nof purchase.\"\nShipping?,Free\n"))).Parsed;
        Assert.Equal(["Refunds, how?", "Within \"30\" days\nof purchase.", "Shipping?", "Free"], csv.Blocks.Select(b => b.Text));
    }

    [Fact]
    public async Task Faq_errors_name_the_item_or_line()
    {
        using var dir = new TempDirectory();
        var json = await Assert.ThrowsAsync<DocumentParseException>(() => Load(dir.File("a.json", """[{"question": "Q?", "answer": ""}]""")));
        Assert.Contains("item 0", json.Message);
        Assert.Contains("answer", json.Message);
        var csv = await Assert.ThrowsAsync<DocumentParseException>(() => Load(dir.File("b.csv", "question,answer\nQ1,A1\nQ2,\n")));
        Assert.Contains("line 3", csv.Message);
    }

    [Fact]
    public void Kind_is_sniffed_from_content_not_the_extension()
    {
        Assert.Equal(DocumentKind.Pdf, DocumentSniffer.Detect("x.txt", Fixtures.Pdf("hi")));
        Assert.Equal(DocumentKind.Docx, DocumentSniffer.Detect("x.bin", Fixtures.Docx((null, "hi"))));
        Assert.Equal(DocumentKind.Html, DocumentSniffer.Detect("x.txt", "<html><body><p>hi</p></body></html>"u8.ToArray()));
        Assert.Equal(DocumentKind.Faq, DocumentSniffer.Detect("x.txt", """[{"question":"q","answer":"a"}]"""u8.ToArray()));
        Assert.Equal(DocumentKind.Markdown, DocumentSniffer.Detect("x", "# Title\n\nText"u8.ToArray()));
        Assert.Equal(DocumentKind.PlainText, DocumentSniffer.Detect("x", "just words"u8.ToArray()));
        Assert.Equal(DocumentKind.PlainText, DocumentSniffer.Detect("x.txt", "# not markdown because .txt"u8.ToArray()));
    }

    [Fact]
    public async Task Empty_binary_encrypted_office_and_foreign_zip_files_are_per_file_errors()
    {
        using var dir = new TempDirectory();
        async Task<string> Reason(string name, byte[] bytes) =>
            (await Assert.ThrowsAsync<DocumentParseException>(() => Load(dir.File(name, bytes)))).Reason;

        Assert.Contains("empty", await Reason("empty.md", []));
        Assert.Contains("whitespace", await Reason("blank.txt", "  \n\n "u8.ToArray()));
        Assert.Contains("binary", await Reason("image.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0]));
        Assert.Contains("UTF-8", await Reason("latin1.txt", [0x63, 0x61, 0x66, 0xE9]));
        Assert.Contains("encrypted", await Reason("locked.docx", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2]));

        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            using (var writer = new StreamWriter(archive.CreateEntry("readme.txt").Open())) writer.Write("hi");
        Assert.Contains("not a Word document", await Reason("archive.docx", zip.ToArray()));

        var truncated = Fixtures.Docx((null, "text"))[..200];
        Assert.Contains("corrupt", await Reason("truncated.docx", truncated));
    }

    [Fact]
    public async Task Files_over_the_size_limit_are_refused_before_reading()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.txt", new string('x', 2000));
        var e = await Assert.ThrowsAsync<DocumentParseException>(() =>
            DocumentParser.LoadAsync(path, new IngestionLimits { MaxFileBytes = 1000 }, TestContext.Current.CancellationToken));
        Assert.Contains("limit", e.Message);
        Assert.Contains("big.txt", e.Message);
    }
}
