using System.Text.Json;
using ChatPlatform.Llm.ChatTemplates;

namespace ChatPlatform.Llm.Tests.ChatTemplates;

/// <summary>
/// Real models' chat templates rendered against reference/cases.json, which make_reference.mjs produced with
/// @huggingface/transformers' apply_chat_template (and crosscheck_jinja2.py confirmed with Python's jinja2).
/// </summary>
public sealed class ChatTemplateReferenceTests
{
    private sealed record Case(string Template, string Name, JsonElement Data);

    private static readonly Lazy<(Dictionary<string, string> Templates, Dictionary<string, Case> Cases)> Reference = new(() =>
    {
        using var doc = ReferenceFiles.ReadJson("cases.json");
        var templates = doc.RootElement.GetProperty("templates").EnumerateArray().ToDictionary(
            t => t.GetProperty("id").GetString()!,
            t => File.ReadAllText(ReferenceFiles.PathOf(t.GetProperty("file").GetString()!.Split('/'))));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => new Case(c.GetProperty("template").GetString()!, c.GetProperty("name").GetString()!, c.Clone()))
            .ToDictionary(c => $"{c.Template}/{c.Name}");
        return (templates, cases);
    });

    private static readonly Dictionary<string, ChatTemplate> Parsed = [];

    private static ChatTemplate Template(string id)
    {
        lock (Parsed)
        {
            if (!Parsed.TryGetValue(id, out var template))
                Parsed[id] = template = ChatTemplate.Parse(Reference.Value.Templates[id]);
            return template;
        }
    }

    public static TheoryData<string> CaseIds() => new(Reference.Value.Cases.Keys.Order(StringComparer.Ordinal));

    /// <summary>JSON messages to ChatMessage: role and content, every other key (tool_calls, ...) as an additional property.</summary>
    internal static List<ChatMessage> Messages(JsonElement messages) =>
        messages.EnumerateArray().Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)
        {
            AdditionalProperties = m.EnumerateObject()
                .Where(p => p.Name is not ("role" or "content"))
                .ToDictionary(p => p.Name, p => (object?)p.Value.Clone()),
        }).ToList();

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void RendersLikeTransformers(string id)
    {
        var c = Reference.Value.Cases[id];
        var messages = Messages(c.Data.GetProperty("messages"));
        var addGenerationPrompt = c.Data.GetProperty("add_generation_prompt").GetBoolean();
        var extra = c.Data.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var template = Template(c.Template);

        if (c.Data.TryGetProperty("error", out var error))
        {
            var ex = Assert.Throws<ChatTemplateException>(() => template.Render(messages, addGenerationPrompt, extra));
            Assert.True(ex.RaisedByTemplate, ex.Message);
            Assert.Equal(error.GetString(), ex.Message);
            return;
        }
        Assert.Equal(c.Data.GetProperty("expected").GetString(), template.Render(messages, addGenerationPrompt, extra));
    }

    [Fact]
    public void CoversTheRequiredTemplatesAndCases()
    {
        var cases = Reference.Value.Cases.Values.ToList();
        foreach (var id in new[] { "llama2-chat", "llama3-instruct", "llama3.1-instruct", "qwen2.5-instruct", "mistral-7b-instruct-v0.1",
                     "mistral-7b-instruct-v0.3", "smollm2-instruct", "tinyllama-chat" })
        {
            var names = cases.Where(c => c.Template == id).Select(c => c.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "system_user", "user_only", "multi_turn", "ends_with_assistant", "tricky_content" }, names);
        }
        Assert.Contains(cases, c => c.Template == "mistral-7b-instruct-v0.1" && c.Name == "roles_not_alternating" && c.Data.TryGetProperty("error", out _));
        Assert.Contains(cases, c => c.Template == "llama3.1-instruct" && c.Name == "tools");
        Assert.Contains(cases, c => c.Template == "qwen2.5-instruct" && c.Name == "tool_call_round_trip");
    }

    [Fact]
    public void MistralRejectsNonAlternatingRolesWithTheTemplatesMessage()
    {
        var template = Template("mistral-7b-instruct-v0.1");
        var ex = Assert.Throws<ChatTemplateException>(() =>
            template.Render([new("user", "a"), new("user", "b")], addGenerationPrompt: true, new Dictionary<string, object?> { ["bos_token"] = "<s>", ["eos_token"] = "</s>" }));
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", ex.Message);
        Assert.True(ex.RaisedByTemplate);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Llama32UsesStrftimeNowWhenNoDateIsGiven()
    {
        var clock = new FixedClock(new DateTimeOffset(2025, 3, 7, 10, 0, 0, TimeSpan.Zero));
        var template = ChatTemplate.Parse(Reference.Value.Templates["llama3.2-instruct"], new ChatTemplateOptions { TimeProvider = clock });
        var rendered = template.Render([new("user", "hi")], addGenerationPrompt: true, new Dictionary<string, object?> { ["bos_token"] = "<|begin_of_text|>" });
        Assert.Contains("Today Date: 07 Mar 2025\n", rendered);
    }

    [Fact]
    public void LongConversationsStayWellInsideTheSandboxLimits()
    {
        // 4000 turns of ~1 KB through Qwen3's template (two passes over the messages, string methods per turn).
        var text = string.Concat(Enumerable.Repeat("Some longer message text. ", 40));
        var messages = Enumerable.Range(0, 4000).Select(i => new ChatMessage(i % 2 == 0 ? "user" : "assistant", $"{i}: {text}")).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var rendered = Template("qwen3").Render(messages, addGenerationPrompt: true);
        Assert.StartsWith("<|im_start|>user\n0: Some", rendered);
        Assert.EndsWith("<|im_start|>assistant\n", rendered);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
