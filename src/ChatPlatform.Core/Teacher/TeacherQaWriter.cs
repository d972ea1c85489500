using System.Text.Json;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using Microsoft.Extensions.AI;

namespace ChatPlatform.Core.Teacher;

/// <summary>
/// Asks the teacher for question/answer pairs grounded in one chunk, and for paraphrases of a question (data
/// augmentation). Replies must be strict JSON; pairs with an empty field or an answer not grounded in the chunk are
/// rejected and counted, a malformed reply is reported; neither becomes an example.
/// </summary>
public sealed class TeacherQaWriter(TeacherModel teacher)
{
    const string QaInstructions =
        "You write training data for a customer-support assistant. From the documentation excerpt the user gives, write " +
        "{0} question/answer pairs a customer could ask. Answer ONLY with facts stated in the excerpt, in the excerpt's " +
        "language, in a friendly support tone. Reply with strict JSON and nothing else: " +
        "{{\"pairs\":[{{\"question\":\"...\",\"answer\":\"...\"}}]}}";

    const string ParaphraseInstructions =
        "Rewrite the customer's question {0} different ways a real customer might ask it, keeping its meaning and language. " +
        "Reply with strict JSON and nothing else: {{\"paraphrases\":[\"...\"]}}";

    ChatOptions JsonReply() => new() { ResponseFormat = ChatResponseFormat.Json, Temperature = (float)teacher.Options.Temperature };

    public async Task<List<ExampleCandidate>> WriteFromChunkAsync(DocumentSection section, string? systemPrompt,
        GenerationSummary summary, CancellationToken cancellationToken = default)
    {
        var options = teacher.Options;
        var excerpt = section.HeadingPath.Count > 0 ? $"{string.Join(" > ", section.HeadingPath)}\n\n{section.Text}" : section.Text;
        var reply = await teacher.AskAsync(
            [new(ChatRole.System, string.Format(System.Globalization.CultureInfo.InvariantCulture, QaInstructions, options.QuestionsPerChunk)),
             new(ChatRole.User, excerpt)],
            JsonReply(), $"chunk {section.ChunkId}", summary, cancellationToken);
        if (reply is null) return [];

        if (!TryParse(reply, "pairs", out var pairs) || pairs.ValueKind != JsonValueKind.Array)
            return Rejected(summary, $"chunk {section.ChunkId}: malformed JSON reply (expected {{\"pairs\":[...]}}): {Snippet(reply)}");

        var examples = new List<ExampleCandidate>();
        var index = 0;
        foreach (var pair in pairs.EnumerateArray())
        {
            index++;
            var question = StringField(pair, "question");
            var answer = StringField(pair, "answer");
            if (string.IsNullOrWhiteSpace(question) || string.IsNullOrWhiteSpace(answer))
            {
                Rejected(summary, $"chunk {section.ChunkId}: pair {index}: empty question or answer");
                continue;
            }
            var grounded = Grounding.Score(answer, excerpt);
            if (grounded < options.MinGroundedness)
            {
                Rejected(summary, $"chunk {section.ChunkId}: pair {index}: answer not grounded in the chunk ({grounded:0.00} < {options.MinGroundedness:0.00})");
                continue;
            }
            var messages = new List<ExampleMessage>();
            if (!string.IsNullOrWhiteSpace(systemPrompt)) messages.Add(new("system", systemPrompt.Trim()));
            messages.Add(new("user", question.Trim()));
            messages.Add(new("assistant", answer.Trim()));
            examples.Add(new ExampleCandidate(messages, ExampleOrigin.Teacher, "chunk", section.ChunkId, [], options.Identity));
        }
        return examples;
    }

    /// <summary>
    /// Copies of a single-exchange example with its question reworded; the answer, source and system prompt stay.
    /// The copies cluster with the original as near-duplicates, so they stay on its side of a train/eval split.
    /// </summary>
    public async Task<List<ExampleCandidate>> ParaphraseAsync(SftExample example, int count, GenerationSummary summary,
        CancellationToken cancellationToken = default)
    {
        var userIndex = example.Messages.FindIndex(m => m.Role == "user");
        if (userIndex < 0 || example.Messages.Count(m => m.Role == "user") != 1)
            throw new ArgumentException($"example {example.Id}: only single-question examples can be paraphrased");
        var question = example.Messages[userIndex].Content;
        var reply = await teacher.AskAsync(
            [new(ChatRole.System, string.Format(System.Globalization.CultureInfo.InvariantCulture, ParaphraseInstructions, count)),
             new(ChatRole.User, question)],
            JsonReply(), $"example {example.Id}", summary, cancellationToken);
        if (reply is null) return [];
        if (!TryParse(reply, "paraphrases", out var list) || list.ValueKind != JsonValueKind.Array)
            return Rejected(summary, $"example {example.Id}: malformed JSON reply (expected {{\"paraphrases\":[...]}}): {Snippet(reply)}");

        var results = new List<ExampleCandidate>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString())) continue;
            var text = item.GetString()!.Trim();
            if (string.Equals(text, question.Trim(), StringComparison.OrdinalIgnoreCase)) continue;
            var messages = example.Messages.ToList();
            messages[userIndex] = new("user", text);
            results.Add(new ExampleCandidate(messages, ExampleOrigin.Teacher, example.SourceKind ?? "example",
                example.SourceId ?? example.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ExampleFlags.Paraphrase], teacher.Options.Identity));
        }
        return results;
    }

    static List<ExampleCandidate> Rejected(GenerationSummary summary, string error)
    {
        summary.TeacherErrors.Add(error);
        summary.Skip(SkipReasons.TeacherRejected);
        return [];
    }

    /// <summary>Strict JSON, but tolerant of a ```json fence around it, which many local models add.</summary>
    static bool TryParse(string reply, string property, out JsonElement value)
    {
        value = default;
        var text = reply.Trim();
        if (text.StartsWith("```", StringComparison.Ordinal))
        {
            var firstNewline = text.IndexOf('\n');
            var lastFence = text.LastIndexOf("```", StringComparison.Ordinal);
            if (firstNewline < 0 || lastFence <= firstNewline) return false;
            text = text[(firstNewline + 1)..lastFence];
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(property, out var found)) return false;
            value = found.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static string? StringField(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static string Snippet(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
