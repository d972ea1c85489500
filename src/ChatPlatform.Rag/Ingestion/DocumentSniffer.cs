using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ChatPlatform.Rag.Ingestion;

/// <summary>
/// Decides a file's kind from its bytes: magic numbers first (%PDF, a zip holding word/document.xml), then for text
/// its shape (JSON, HTML tags, a CSV header with question and answer columns, Markdown headings). The extension
/// only breaks ties between text kinds, so a PDF renamed to .txt is still read as a PDF.
/// </summary>
public static class DocumentSniffer
{
    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static DocumentKind Detect(string path, byte[] content)
    {
        if (content.Length == 0) throw new DocumentParseException(path, "empty file");
        // The PDF header may follow a few bytes of garbage (the spec allows it within the first 1024 bytes).
        if (content.AsSpan(0, Math.Min(content.Length, 1024)).IndexOf(PdfMagic) >= 0) return DocumentKind.Pdf;
        if (content.AsSpan().StartsWith(ZipMagic)) return DetectZip(path, content);
        if (content.AsSpan().StartsWith(OleMagic))
            throw new DocumentParseException(path, "an encrypted Office document or a legacy binary .doc; save it as an unprotected .docx");
        var text = DecodeText(path, content);
        return DetectText(path, text);
    }

    /// <summary>Strict UTF-8 (with or without BOM); a file that is not is binary as far as ingestion is concerned.</summary>
    public static string DecodeText(string path, byte[] content)
    {
        if (content.AsSpan().IndexOf((byte)0) >= 0)
            throw new DocumentParseException(path, "binary content (NUL bytes) in what is not a PDF or DOCX file");
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new DocumentParseException(path, "not UTF-8 text and not a PDF or DOCX file");
        }
    }

    private static DocumentKind DetectZip(string path, byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            if (zip.GetEntry("word/document.xml") is not null) return DocumentKind.Docx;
        }
        catch (InvalidDataException e)
        {
            throw new DocumentParseException(path, $"corrupt zip/DOCX file ({e.Message})");
        }
        throw new DocumentParseException(path, "a zip archive that is not a Word document (no word/document.xml)");
    }

    private static DocumentKind DetectText(string path, string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0) throw new DocumentParseException(path, "no text (only whitespace)");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if ((trimmed[0] == '[' || trimmed[0] == '{') && IsJson(trimmed)) return DocumentKind.Faq;
        if (LooksLikeHtml(trimmed)) return DocumentKind.Html;
        if (extension == ".csv" || LooksLikeFaqCsvHeader(trimmed)) return DocumentKind.Faq;
        if (extension is ".md" or ".markdown") return DocumentKind.Markdown;
        if (extension is ".txt" or ".text") return DocumentKind.PlainText;
        return LooksLikeMarkdown(text) ? DocumentKind.Markdown : DocumentKind.PlainText;
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool LooksLikeHtml(string trimmed)
    {
        var head = trimmed[..Math.Min(trimmed.Length, 2048)].ToLowerInvariant();
        return head.StartsWith("<!doctype html", StringComparison.Ordinal) || head.StartsWith("<html", StringComparison.Ordinal)
            || head.Contains("<body", StringComparison.Ordinal) || head.Contains("<head>", StringComparison.Ordinal)
            || (head.StartsWith('<') && (head.Contains("</p>", StringComparison.Ordinal) || head.Contains("</div>", StringComparison.Ordinal)
                                        || head.Contains("</h1>", StringComparison.Ordinal)));
    }

    private static bool LooksLikeFaqCsvHeader(string trimmed)
    {
        var firstLine = trimmed.Split('\n', 2)[0].Trim().ToLowerInvariant();
        var columns = firstLine.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        return columns.Contains("question") && columns.Contains("answer");
    }

    private static bool LooksLikeMarkdown(string text) =>
        text.Split('\n').Any(l => l.StartsWith("# ", StringComparison.Ordinal) || l.StartsWith("## ", StringComparison.Ordinal)
                                  || l.StartsWith("```", StringComparison.Ordinal));
}
