using ChatPlatform.Core.Domain;
using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class CsvImportTests
{
    [Fact]
    public void Mapped_columns_quoted_newlines_and_bad_rows_with_their_lines()
    {
        using var h = new ImportHarness();
        // Line numbers: 1 header; C-1 on 2-4 (its second row spans lines 3-4); C-2 on 5-6 with a short row;
        // 7 has no ticket id; C-3 on 8-9 with an unknown role; C-4 on 10.
        var csv = "Ticket,Created,Author,Body\r\n"
                  + "C-1,2026-02-01T09:00:00Z,customer,\"My order, the big one, is late\"\r\n"
                  + "C-1,2026-02-01T09:05:00Z,agent,\"Sorry! It ships \"\"today\"\",\nwith tracking.\"\r\n"
                  + "C-2,2026-02-02T09:00:00Z,customer,Hello\r\n"
                  + "C-2,2026-02-02T09:01:00Z,agent\r\n"
                  + ",2026-02-03T09:00:00Z,customer,orphan\r\n"
                  + "C-3,2026-02-04T09:00:00Z,customer,Hi\r\n"
                  + "C-3,2026-02-04T09:01:00Z,robot,Beep\r\n"
                  + "C-4,,user,Thanks\r\n";
        var summary = h.Import("logs.csv", csv, LogFormat.Csv,
            new ImportOptions { Map = ColumnMap.Parse("ticket_id=Ticket,time=Created,role=Author,text=Body") });

        Assert.Equal((2, 3), (summary.Imported, summary.Rejected));
        Assert.Equal(
            [
                new ImportRejectionInfo(6, "ticket C-2: expected 4 fields, found 3"),
                new ImportRejectionInfo(7, "Ticket: missing ticket id"),
                new ImportRejectionInfo(9, "ticket C-3: Author: unknown role 'robot' (expected customer, user, end-user, client, agent, assistant, support, staff, system or note)"),
            ],
            summary.FirstRejections);
        var stored = h.Conversations();
        Assert.Equal(["C-1", "C-4"], stored.Select(c => c.TicketId));
        Assert.Equal("Sorry! It ships \"today\",\nwith tracking.", stored[0].Turns[1].Text);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 9, 5, 0, TimeSpan.Zero), stored[0].Turns[1].Time);
    }

    [Fact]
    public void A_ticket_whose_rows_are_not_adjacent_is_rejected_at_its_second_run()
    {
        using var h = new ImportHarness();
        var csv = "ticket_id,role,text\nX,customer,a\nY,customer,b\nX,agent,c\n";
        var summary = h.Import("split.csv", csv, LogFormat.Csv);
        Assert.Equal(2, summary.Imported);
        Assert.Equal(new ImportRejectionInfo(4, "ticket X: rows are not adjacent: ticket X already appeared at line 2"), Assert.Single(summary.FirstRejections));
    }

    [Fact]
    public void A_missing_required_column_is_a_fatal_error_naming_it()
    {
        using var h = new ImportHarness();
        var e = Assert.Throws<InvalidDataException>(() => h.Import("x.csv", "ticket,role,text\n1,customer,hi\n", LogFormat.Csv));
        Assert.StartsWith("x.csv: line 1: no column \"ticket_id\"", e.Message);
    }

    [Fact]
    public void An_unclosed_quote_rejects_the_record_where_it_opened()
    {
        using var h = new ImportHarness();
        var summary = h.Import("q.csv", "ticket_id,role,text\nA,customer,hi\nB,customer,\"never closed\nmore\n", LogFormat.Csv);
        Assert.Equal(1, summary.Imported);
        Assert.Equal(3, Assert.Single(summary.FirstRejections).Location);
    }
}
