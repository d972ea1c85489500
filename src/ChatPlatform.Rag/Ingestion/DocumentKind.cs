namespace ChatPlatform.Rag.Ingestion;

/// <summary>What a knowledge file is, decided from its content (see <see cref="DocumentSniffer"/>).</summary>
public enum DocumentKind
{
    Markdown,
    PlainText,
    Html,
    Pdf,
    Docx,
    /// <summary>Question/answer pairs from a JSON or CSV file; each pair becomes its own section.</summary>
    Faq,
}
