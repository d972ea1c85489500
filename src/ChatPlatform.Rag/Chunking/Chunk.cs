using System.Security.Cryptography;
using System.Text;

namespace ChatPlatform.Rag.Chunking;

/// <summary>
/// A retrievable piece of a document. <see cref="Id"/> is stable: 32 hex digits of SHA-256 over the document id,
/// the position and the text, so re-chunking unchanged content gives the same ids (and a 128-bit id doubles as a
/// UUID for stores that want one).
/// </summary>
/// <param name="Position">0-based order of the chunk within its document.</param>
/// <param name="HeadingPath">The headings above the chunk, outermost first.</param>
public sealed record Chunk(string Id, string DocumentId, int Position, IReadOnlyList<string> HeadingPath, string Text, int TokenCount)
{
    public static string MakeId(string documentId, int position, string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{documentId}\n{position}\n{text}"));
        return Convert.ToHexStringLower(hash, 0, 16);
    }

    /// <summary>"A > B > C", the form shown in citations.</summary>
    public string HeadingText => string.Join(" > ", HeadingPath);
}
