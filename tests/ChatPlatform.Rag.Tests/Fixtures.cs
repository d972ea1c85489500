using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ChatPlatform.Rag.Tests;

/// <summary>Small documents built in code: a DOCX through OpenXml and minimal hand-written PDFs.</summary>
internal static class Fixtures
{
    public static byte[] Docx(params (string? Style, string Text)[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            foreach (var (style, text) in paragraphs)
            {
                var paragraph = new Paragraph(new Run(new Text(text)));
                if (style is not null) paragraph.PrependChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
                body.Append(paragraph);
            }
            body.Append(new Table(
                new TableRow(new TableCell(new Paragraph(new Run(new Text("Model")))), new TableCell(new Paragraph(new Run(new Text("Port"))))),
                new TableRow(new TableCell(new Paragraph(new Run(new Text("R100")))), new TableCell(new Paragraph(new Run(new Text("8080")))))));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    /// <summary>A one-page PDF showing <paramref name="text"/> in Helvetica, with a correct xref table.</summary>
    public static byte[] Pdf(string text, string? encryptObject = null)
    {
        var content = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        if (encryptObject is not null) objects.Add(encryptObject);
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append($"{offset:D10} 00000 n \n");
        var encrypt = encryptObject is null ? "" : $" /Encrypt {objects.Count} 0 R /ID [<{new string('a', 32)}> <{new string('a', 32)}>]";
        pdf.Append($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>A PDF with a standard security handler whose user password is not empty (random O and U entries).</summary>
    public static byte[] EncryptedPdf() =>
        Pdf("secret", $"<< /Filter /Standard /V 1 /R 2 /O <{new string('1', 64)}> /U <{new string('2', 64)}> /P -4 >>");

    public static bool HasPdfToText()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':').Any(d => File.Exists(Path.Combine(d, "pdftotext")));
    }
}
