using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class TranscriptImportTests
{
    const string Transcripts = """
        Ticket: TR-1
        Customer: My printer jams.
        It happens every morning.
        Agent: Please clean the rollers.
        ---
        Customer: Can I change my plan?
        Agent: Yes, under Settings.
        ---
        Ticket: TR-3
        Hello there
        Customer: hi
        ---
        ---
        Ticket: TR-4
        Customer:
        Agent: ok
        """;

    [Fact]
    public void Transcripts_split_on_dashes_with_continuations_and_derived_ids()
    {
        using var h = new ImportHarness();
        var summary = h.Import("t.txt", Transcripts, LogFormat.Transcript);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(
            [
                new ImportRejectionInfo(10, "expected a speaker label (Customer:, User:, Client:, Agent:, Support:, System:) before \"Hello there\""),
                new ImportRejectionInfo(15, "Customer: empty text"),
            ],
            summary.FirstRejections);
        var stored = h.Conversations();
        Assert.Equal("TR-1", stored[0].TicketId);
        Assert.Equal("My printer jams.\nIt happens every morning.", stored[0].Turns[0].Text);
        Assert.Equal([TurnRole.Customer, TurnRole.Agent], stored[0].Turns.Select(t => t.Role));
        Assert.Matches("^transcript-[0-9a-f]{16}$", stored[1].TicketId);

        Assert.Equal((0, 2), (h.Import("t.txt", Transcripts, LogFormat.Transcript) is var again ? (again.Imported, again.Duplicates) : default));
    }

    [Fact]
    public void Speaker_labels_are_configurable()
    {
        using var h = new ImportHarness();
        var summary = h.Import("de.txt", "Kunde: Hallo\nSupport-Team: Guten Tag\n", LogFormat.Transcript,
            new ImportOptions { Map = ColumnMap.Parse("customer=Kunde|Kundin,agent=Support-Team") });
        Assert.Equal(1, summary.Imported);
        Assert.Equal([TurnRole.Customer, TurnRole.Agent], h.Conversations()[0].Turns.Select(t => t.Role));
    }
}
