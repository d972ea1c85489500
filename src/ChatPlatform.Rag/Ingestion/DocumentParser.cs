namespace ChatPlatform.Rag.Ingestion;

/// <summary>A file read, its kind sniffed and its text parsed into blocks; plus the raw bytes for the content hash.</summary>
public sealed record LoadedDocument(string Path, byte[] Content, ParsedDocument Parsed);

/// <summary>
/// Reads one knowledge file: size limit, kind from content (<see cref="DocumentSniffer"/>), then the parser for that
/// kind. Every failure is a <see cref="DocumentParseException"/> naming the file.
/// </summary>
public static class DocumentParser
{
    public static async Task<LoadedDocument> LoadAsync(string path, IngestionLimits limits, CancellationToken ct = default)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new DocumentParseException(path, "no such file");
        if (info.Length > limits.MaxFileBytes)
            throw new DocumentParseException(path, $"{info.Length:N0} bytes is over the {limits.MaxFileBytes:N0}-byte limit");
        var content = await File.ReadAllBytesAsync(path, ct);
        var parsed = await ParseAsync(path, content, limits, ct);
        if (parsed.Blocks.Count == 0) throw new DocumentParseException(path, "no text found");
        return new LoadedDocument(path, content, parsed);
    }

    public static async Task<ParsedDocument> ParseAsync(string path, byte[] content, IngestionLimits limits, CancellationToken ct = default)
    {
        var kind = DocumentSniffer.Detect(path, content);
        var fallbackTitle = Path.GetFileNameWithoutExtension(path);
        switch (kind)
        {
            case DocumentKind.Pdf:
                return await PdfParser.ParseAsync(path, fallbackTitle, limits.PdfTimeout, ct);
            case DocumentKind.Docx:
                return DocxParser.Parse(path, content, fallbackTitle);
        }
        var text = DocumentSniffer.DecodeText(path, content);
        return kind switch
        {
            DocumentKind.Markdown => MarkdownParser.Parse(text, fallbackTitle),
            DocumentKind.Html => HtmlParser.Parse(text, fallbackTitle),
            DocumentKind.Faq when text.TrimStart() is ['[' or '{', ..] => FaqParser.ParseJson(path, text, fallbackTitle),
            DocumentKind.Faq => FaqParser.ParseCsv(path, text, fallbackTitle),
            _ => PlainTextParser.Parse(text, fallbackTitle),
        };
    }
}
