using ChatPlatform.Core.Dedup;
using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Examples;
using ChatPlatform.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatPlatform.Web.Widget;

/// <summary>
/// Closes the loop from customers to training data: a down-voted or corrected answer becomes a pending SFT example
/// (Origin Feedback, SourceKind "chat-message", SourceId the answer's id) of the question and either the customer's
/// correction (flagged "customer-correction") or the answer as given (flagged "down-voted", for a reviewer to rewrite).
/// Later feedback on the same answer updates that example while it is still pending; reviewed examples are left alone.
/// </summary>
internal static class FeedbackExamples
{
    public const string SourceKind = "chat-message";
    public const string DownVoted = "down-voted";
    public const string CustomerCorrection = "customer-correction";

    public static async Task ApplyAsync(PlatformDbContext db, ChatMessageRecord question, ChatMessageRecord answer, CancellationToken ct)
    {
        var sourceId = answer.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = await db.Examples.FirstOrDefaultAsync(
            e => e.SourceKind == SourceKind && e.SourceId == sourceId && e.Status == ExampleStatus.Pending, ct);
        if (answer.Feedback != Feedback.Down)
        {
            // an up-vote withdraws the customer's earlier complaint, so nothing is left for review
            if (pending is not null) db.Examples.Remove(pending);
            await db.SaveChangesAsync(ct);
            return;
        }
        var corrected = !string.IsNullOrWhiteSpace(answer.Correction);
        List<ExampleMessage> messages = [new("user", question.Content), new("assistant", corrected ? answer.Correction!.Trim() : answer.Content)];
        List<string> flags = [corrected ? CustomerCorrection : DownVoted];
        if (pending is null)
        {
            await ExampleWriter.AddAsync(db, [new ExampleCandidate(messages, ExampleOrigin.Feedback, SourceKind, sourceId, flags)],
                new GenerationSummary(), cancellationToken: ct);
            return;
        }
        pending.Messages = messages;
        pending.OriginalMessages = [.. messages];
        pending.Flags = flags;
        pending.NormalizedHash = TextNormalizer.Hash(messages);
        pending.UpdatedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        await ExampleClustering.ReclusterAsync(db, cancellationToken: ct);
    }
}
