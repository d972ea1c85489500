using System.Text.Json;
using ChatPlatform.Llm.ChatTemplates;

namespace ChatPlatform.Llm.Tests.ChatTemplates;

/// <summary>
/// Interpreter semantics against Python's jinja2 in transformers' exact environment: each case in
/// reference/jinja_cases.json was rendered by make_jinja_cases.py, never by this code.
/// </summary>
public sealed class JinjaConformanceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        using var doc = ReferenceFiles.ReadJson("jinja_cases.json");
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    public static TheoryData<string> CaseNames() => new(Cases.Value.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesJinja2(string name)
    {
        var c = Cases.Value[name];
        var source = c.GetProperty("template").GetString()!;
        var variables = c.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        if (c.TryGetProperty("error", out var error))
        {
            var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source).Render(variables));
            if (error.GetString() == "syntax")
                Assert.NotNull(ex.Line);
            return;
        }
        var rendered = ChatTemplate.Parse(source).Render(variables);
        Assert.Equal(c.GetProperty("expected").GetString(), rendered);
    }

    [Fact]
    public void SyntaxErrorsAreReportedWhenParsing()
    {
        foreach (var (name, c) in Cases.Value.Where(kv => kv.Value.TryGetProperty("error", out var e) && e.GetString() == "syntax"))
        {
            var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(c.GetProperty("template").GetString()!));
            Assert.True(ex.Line is not null && ex.Column is not null, $"{name}: {ex.Message}");
        }
    }
}
