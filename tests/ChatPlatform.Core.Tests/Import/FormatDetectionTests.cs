using ChatPlatform.Core.Import;

namespace ChatPlatform.Core.Tests.Import;

public sealed class FormatDetectionTests
{
    [Theory]
    [InlineData("a.jsonl", """{"ticket_id":"1","messages":[]}""", LogFormat.Jsonl)]
    [InlineData("a.json", "[\n {\"ticket_id\": \"1\"}\n]", LogFormat.Json)]
    [InlineData("a.json", "{\n \"conversations\": [\n]}", LogFormat.Json)]
    [InlineData("a.json", """{"tickets": []}""", LogFormat.Zendesk)]
    [InlineData("a.jsonl", """{"id": 1, "requester": {"id": 2}, "comments": [{"author_id": 2, "body": "x"}]}""", LogFormat.Zendesk)]
    [InlineData("a.csv", "ticket,author,body\n", LogFormat.Csv)]
    [InlineData("export", "ticket_id,role,text\n1,customer,hi\n", LogFormat.Csv)]
    [InlineData("a.txt", "Ticket: 1\nCustomer: hi, there\n", LogFormat.Transcript)]
    [InlineData("chat", "Customer: hi\nAgent: hello\n", LogFormat.Transcript)]
    public void Detects_from_content_then_extension(string name, string content, LogFormat expected)
    {
        using var dir = new TempDataDirectory();
        var path = System.IO.Path.Combine(dir.Path, name);
        File.WriteAllText(path, content);
        Assert.Equal(expected, LogFormats.Detect(path));
    }

    [Fact]
    public void Unknown_format_names_are_an_error() =>
        Assert.StartsWith("--format: unknown format 'xml'", Assert.Throws<ArgumentException>(() => LogFormats.Parse("xml")).Message);
}
