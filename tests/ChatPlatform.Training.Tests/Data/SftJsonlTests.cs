using System.Text;
using ChatPlatform.Llm.ChatTemplates;
using ChatPlatform.Training.Data;

namespace ChatPlatform.Training.Tests.Data;

public sealed class SftJsonlTests
{
    private static SftReadResult ReadText(string text, SftReadOptions? options = null) =>
        SftJsonl.Read(new StringReader(text), "data.jsonl", options);

    private static (string Role, string Content)[] Turns(SftExample e) => e.Messages.Select(m => (m.Role, m.Content)).ToArray();

    [Fact]
    public void OpenAi_chat_lines_keep_roles_and_contents()
    {
        var result = ReadText("""
            {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!\nHow can I help?","weight":1}],"id":"x"}
            """);

        var example = Assert.Single(result.Examples);
        Assert.Equal([("system", "Be brief."), ("user", "Hi"), ("assistant", "Hello!\nHow can I help?")], Turns(example));
        Assert.Equal("data.jsonl:1", example.Source);
    }

    [Fact]
    public void ShareGpt_speakers_map_to_chat_roles()
    {
        var result = ReadText("""
            {"conversations":[{"from":"system","value":"S"},{"from":"human","value":"Q1"},{"from":"gpt","value":"A1"},{"from":"user","value":"Q2"},{"from":"assistant","value":"A2"}]}
            {"system":"Top-level system","conversations":[{"from":"human","value":"Q"},{"from":"gpt","value":"A"}]}
            """);

        Assert.Equal([("system", "S"), ("user", "Q1"), ("assistant", "A1"), ("user", "Q2"), ("assistant", "A2")], Turns(result.Examples[0]));
        Assert.Equal([("system", "Top-level system"), ("user", "Q"), ("assistant", "A")], Turns(result.Examples[1]));
    }

    [Fact]
    public void Alpaca_instruction_and_input_become_the_user_turn()
    {
        var result = ReadText("""
            {"instruction":"Translate to French.","input":"Good morning","output":"Bonjour"}
            {"instruction":"Name a colour.","input":"","output":"Blue","system":""}
            {"instruction":"Name a colour.","output":"Red","system":"You are terse."}
            {"instruction":"And another?","output":"Green","history":[["Name a colour.","Red"]]}
            """);

        Assert.Equal([("user", "Translate to French.\nGood morning"), ("assistant", "Bonjour")], Turns(result.Examples[0]));
        Assert.Equal([("user", "Name a colour."), ("assistant", "Blue")], Turns(result.Examples[1]));
        Assert.Equal([("system", "You are terse."), ("user", "Name a colour."), ("assistant", "Red")], Turns(result.Examples[2]));
        Assert.Equal([("user", "Name a colour."), ("assistant", "Red"), ("user", "And another?"), ("assistant", "Green")], Turns(result.Examples[3]));
    }

    [Fact]
    public void Auto_detection_is_per_line_and_blank_lines_are_counted_not_read()
    {
        var result = ReadText(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}\r\n"
            + "   \r\n"
            + "{\"conversations\":[{\"from\":\"human\",\"value\":\"c\"},{\"from\":\"gpt\",\"value\":\"d\"}]}\n"
            + "{\"instruction\":\"e\",\"output\":\"f\"}\n");

        Assert.Equal(["data.jsonl:1", "data.jsonl:3", "data.jsonl:4"], result.Examples.Select(e => e.Source).ToArray());
        Assert.Equal(["b", "d", "f"], result.Examples.Select(e => e.Messages[^1].Content).ToArray());
        Assert.Equal(new SftReadReport(4, 1, 3, []), result.Report with { Skipped = [] });
        Assert.Empty(result.Report.Skipped);
    }

    [Fact]
    public void A_forced_format_reads_only_its_own_fields()
    {
        const string openAi = """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}],"instruction":"x","output":"y"}""";

        Assert.Equal("b", SftJsonl.ParseLine(openAi, "f:1").Messages[^1].Content);
        Assert.Equal("y", SftJsonl.ParseLine(openAi, "f:1", SftFormat.Alpaca).Messages[^1].Content);
        var e = Assert.Throws<SftDataException>(() => SftJsonl.ParseLine(openAi, "f:1", SftFormat.ShareGpt));
        Assert.Equal("f:1: conversations: missing", e.Message);
    }

    public static TheoryData<string, string> InvalidLines() => new()
    {
        { "hello world", "data.jsonl:1: invalid JSON at byte 1" },
        { "{\"messages\": [", "data.jsonl:1: invalid JSON" },
        { "[1, 2]", "data.jsonl:1: expected a JSON object, got an array" },
        { "{\"text\": \"hello\"}", "data.jsonl:1: unrecognised format" },
        { "{\"messages\": \"hi\"}", "data.jsonl:1: messages: expected a list, got a string" },
        { "{\"messages\": []}", "data.jsonl:1: messages: no user or assistant turns" },
        { "{\"messages\": [\"hi\"]}", "data.jsonl:1: messages[0]: expected an object, got a string" },
        { """{"messages":[{"content":"a"},{"role":"assistant","content":"b"}]}""", "data.jsonl:1: messages[0].role: missing" },
        { """{"messages":[{"role":"user"},{"role":"assistant","content":"b"}]}""", "data.jsonl:1: messages[0].content: missing" },
        { """{"messages":[{"role":"user","content":null},{"role":"assistant","content":"b"}]}""", "data.jsonl:1: messages[0].content: missing" },
        { """{"messages":[{"role":"user","content":42},{"role":"assistant","content":"b"}]}""", "data.jsonl:1: messages[0].content: expected a string, got a number" },
        { """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":" \n "}]}""", "data.jsonl:1: messages[1].content: empty content" },
        { """{"messages":[{"role":"user","content":"a"},{"role":"tool","content":"b"}]}""", "data.jsonl:1: messages[1].role: unsupported role 'tool'" },
        { """{"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]}""", "data.jsonl:1: messages: no assistant turn" },
        { """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"c"}]}""", "data.jsonl:1: messages[2].role: the conversation must end with an assistant turn" },
        { """{"messages":[{"role":"assistant","content":"Hi!"},{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}""", "data.jsonl:1: messages[0].role: the conversation must start with a user turn, got 'assistant'" },
        { """{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},{"role":"assistant","content":"c"}]}""", "data.jsonl:1: messages[1].role: expected 'assistant' (turns alternate user/assistant), got 'user'" },
        { """{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"system","content":"c"}]}""", "data.jsonl:1: messages[2].role: a system message is only allowed first" },
        { """{"conversations":[{"from":"gpt","value":"a"},{"from":"human","value":"b"}]}""", "data.jsonl:1: conversations[0].from: the conversation must start with a user turn, got 'assistant'" },
        { """{"conversations":[{"from":"human","value":"a"},{"from":"function_call","value":"b"}]}""", "data.jsonl:1: conversations[1].from: unsupported speaker 'function_call'" },
        { """{"conversations":[{"from":"human","value":""},{"from":"gpt","value":"b"}]}""", "data.jsonl:1: conversations[0].value: empty content" },
        { """{"system":"s","conversations":[{"from":"system","value":"t"},{"from":"human","value":"a"},{"from":"gpt","value":"b"}]}""", "data.jsonl:1: conversations[0].from: a system turn is not allowed" },
        { """{"instruction":"Do it."}""", "data.jsonl:1: output: missing" },
        { """{"instruction":"","output":"x"}""", "data.jsonl:1: instruction: empty content" },
        { """{"instruction":"a","input":7,"output":"x"}""", "data.jsonl:1: input: expected a string, got a number" },
        { """{"instruction":"a","output":"x","history":[["q"]]}""", "data.jsonl:1: history[0]: expected an [instruction, response] pair" },
        { """{"instruction":"a","output":"x","history":[["q",""]]}""", "data.jsonl:1: history[0][1]: empty content" },
    };

    [Theory]
    [MemberData(nameof(InvalidLines))]
    public void Invalid_lines_throw_naming_file_line_and_field(string line, string expectedStart)
    {
        var e = Assert.Throws<SftDataException>(() => ReadText(line));

        Assert.StartsWith(expectedStart, e.Message, StringComparison.Ordinal);
        Assert.Equal("data.jsonl:1", e.Location);
    }

    [Fact]
    public void Errors_name_the_line_they_are_on()
    {
        var text = "{\"instruction\":\"a\",\"output\":\"b\"}\n\n{\"instruction\":\"a\"}\n";

        var e = Assert.Throws<SftDataException>(() => ReadText(text));

        Assert.Equal("data.jsonl:3", e.Location);
        Assert.Equal("output", e.Field);
        Assert.Equal("missing", e.Reason);
    }

    [Fact]
    public void Skip_invalid_lists_every_skipped_line_with_its_reason()
    {
        var text = string.Join('\n',
            """{"instruction":"a","output":"b"}""",
            """{"messages":[{"role":"user","content":"a"}]}""",
            "",
            "{broken",
            """{"conversations":[{"from":"human","value":"c"},{"from":"gpt","value":"d"}]}""");

        var result = ReadText(text, new SftReadOptions { SkipInvalid = true });

        Assert.Equal(["data.jsonl:1", "data.jsonl:5"], result.Examples.Select(e => e.Source).ToArray());
        Assert.Equal(5, result.Report.LinesRead);
        Assert.Equal(1, result.Report.BlankLines);
        Assert.Equal(2, result.Report.Examples);
        Assert.Equal(2, result.Report.Skipped.Count);
        Assert.Equal(new SftSkippedLine("data.jsonl:2", "messages", "no assistant turn"), result.Report.Skipped[0]);
        Assert.Equal("data.jsonl:4", result.Report.Skipped[1].Location);
        Assert.Null(result.Report.Skipped[1].Field);
        Assert.StartsWith("invalid JSON", result.Report.Skipped[1].Reason, StringComparison.Ordinal);
        var r = result.Report;
        Assert.Equal(r.LinesRead, r.BlankLines + r.Examples + r.Skipped.Count);
    }

    [Fact]
    public void Export_writes_openai_chat_lines_that_read_back_the_same()
    {
        using var dir = new TempDir();
        var examples = new[]
        {
            new SftExample([new ChatMessage("system", "Sé breve."), new ChatMessage("user", "Say \"hi\"\\ please"), new ChatMessage("assistant", "hi\n👋")], "a:1"),
            new SftExample([new ChatMessage("user", "<b>2 & 3</b>"), new ChatMessage("assistant", "tab\there")], "a:2"),
        };

        SftJsonl.WriteFile(dir.File("out.jsonl"), examples);

        // Accents stay readable; System.Text.Json escapes characters beyond the BMP (the emoji) as surrogate pairs.
        var bytes = File.ReadAllBytes(dir.File("out.jsonl"));
        Assert.NotEqual(0xEF, bytes[0]); // no byte-order mark
        Assert.Equal(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Sé breve.\"},{\"role\":\"user\",\"content\":\"Say \\\"hi\\\"\\\\ please\"},{\"role\":\"assistant\",\"content\":\"hi\\n\\uD83D\\uDC4B\"}]}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"<b>2 & 3</b>\"},{\"role\":\"assistant\",\"content\":\"tab\\there\"}]}\n",
            Encoding.UTF8.GetString(bytes));
        var back = SftJsonl.ReadFile(dir.File("out.jsonl"));
        Assert.Equal(examples.Select(Turns), back.Examples.Select(Turns));
        Assert.Equal(dir.File("out.jsonl") + ":2", back.Examples[1].Source);
    }

    [Fact]
    public void Export_converts_sharegpt_and_alpaca_to_openai_chat()
    {
        var read = ReadText("""
            {"conversations":[{"from":"human","value":"Q"},{"from":"gpt","value":"A"}]}
            {"instruction":"I","input":"X","output":"O"}
            """);
        var writer = new StringWriter();

        SftJsonl.Write(writer, read.Examples);

        Assert.Equal(
            """{"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A"}]}""" + "\n"
            + """{"messages":[{"role":"user","content":"I\nX"},{"role":"assistant","content":"O"}]}""" + "\n",
            writer.ToString());
    }

    [Fact]
    public void A_file_with_a_byte_order_mark_reads()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bom.jsonl"), "{\"instruction\":\"a\",\"output\":\"b\"}\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = SftJsonl.ReadFile(dir.File("bom.jsonl"));

        Assert.Equal("b", Assert.Single(result.Examples).Messages[1].Content);
    }
}
