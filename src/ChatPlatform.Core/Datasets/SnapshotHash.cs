using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChatPlatform.Core.Domain;

namespace ChatPlatform.Core.Datasets;

/// <summary>
/// A snapshot's content hash: SHA-256 (lowercase hex) over the canonical JSON of its items in order,
/// <c>[{"messages":[{"role":"user","content":"..."},...]},...]</c> — no whitespace, properties in this order,
/// UTF-8 with only the characters JSON requires escaped. Equal content gives an equal hash on any machine.
/// </summary>
public static class SnapshotHash
{
    static readonly JsonWriterOptions Canonical = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Compute(IEnumerable<IReadOnlyList<ExampleMessage>> items)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Canonical))
        {
            json.WriteStartArray();
            foreach (var messages in items)
            {
                json.WriteStartObject();
                json.WriteStartArray("messages");
                foreach (var m in messages)
                {
                    json.WriteStartObject();
                    json.WriteString("role", m.Role);
                    json.WriteString("content", m.Content);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

}
