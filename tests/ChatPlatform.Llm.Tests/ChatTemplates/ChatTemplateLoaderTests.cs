using System.Text.Json;
using ChatPlatform.Llm.ChatTemplates;

namespace ChatPlatform.Llm.Tests.ChatTemplates;

public sealed class ChatTemplateLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("chat-template-loader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string json, string? sidecar = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), json);
        if (sidecar is not null)
            File.WriteAllText(Path.Combine(dir, "chat_template.jinja"), sidecar);
        return Path.Combine(dir, "tokenizer_config.json");
    }

    private static readonly List<ChatMessage> Conversation = [new("system", "Be brief."), new("user", "Hi")];

    /// <summary>The reference render for a template and case, from cases.json (transformers' output).</summary>
    private static string Expected(string template, string name)
    {
        using var doc = ReferenceFiles.ReadJson("cases.json");
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Single(c => c.GetProperty("template").GetString() == template && c.GetProperty("name").GetString() == name)
            .GetProperty("expected").GetString()!;
    }

    [Fact]
    public void RealLlama3ConfigRendersLikeTransformers()
    {
        var (template, isFallback) = ChatTemplateLoader.FromTokenizerConfig(ReferenceFiles.PathOf("tokenizer_configs", "llama3_1", "tokenizer_config.json"), out var warning);
        Assert.False(isFallback);
        Assert.Null(warning);
        Assert.Equal("<|begin_of_text|>", template.DefaultVariables["bos_token"]);
        Assert.Equal(Expected("llama3-instruct", "system_user"),
            template.Render([new("system", "You are a concise assistant."), new("user", "What is the capital of France?")], addGenerationPrompt: true));
    }

    [Fact]
    public void RealQwen3ConfigWithNullBosRendersLikeTransformers()
    {
        var (template, isFallback) = ChatTemplateLoader.FromTokenizerConfig(ReferenceFiles.PathOf("tokenizer_configs", "qwen3", "tokenizer_config.json"), out _);
        Assert.False(isFallback);
        Assert.False(template.DefaultVariables.ContainsKey("bos_token"));
        Assert.Equal("<|im_end|>", template.DefaultVariables["eos_token"]);
        Assert.Equal(Expected("qwen3", "user_only"), template.Render([new("user", "What is the capital of France?")], addGenerationPrompt: true));
    }

    [Fact]
    public void ConfigWithoutTemplateFallsBackToChatMlWithAWarning()
    {
        var path = ReferenceFiles.PathOf("tokenizer_configs", "llama2", "tokenizer_config.json");
        var (template, isFallback) = ChatTemplateLoader.FromTokenizerConfig(path, out var warning);
        Assert.True(isFallback);
        Assert.NotNull(warning);
        Assert.Contains("no chat_template", warning);
        Assert.Contains("ChatML", warning);
        Assert.Equal("<s>", template.DefaultVariables["bos_token"]);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            template.Render(Conversation, addGenerationPrompt: true));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n", template.Render([new("user", "Hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void TokensMayBeAddedTokenObjects()
    {
        var path = WriteConfig("""
            {"bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false}, "eos_token": {"content": "</s>"},
             "chat_template": "{{ bos_token }}{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}"}
            """);
        var (template, _) = ChatTemplateLoader.FromTokenizerConfig(path, out _);
        Assert.Equal("<s>Be brief.</s>Hi</s>", template.Render(Conversation, addGenerationPrompt: false));
    }

    [Fact]
    public void ExtraVariablesOverrideTheConfigsTokens()
    {
        var (template, _) = ChatTemplateLoader.FromTokenizerConfigJson("""{"bos_token": "<s>", "chat_template": "{{ bos_token }}"}""", out _);
        Assert.Equal("<x>", template.Render([], false, new Dictionary<string, object?> { ["bos_token"] = "<x>" }));
    }

    [Fact]
    public void NamedTemplateListPicksDefault()
    {
        var json = JsonSerializer.Serialize(new
        {
            chat_template = new[]
            {
                new { name = "tool_use", template = "TOOLS" },
                new { name = "default", template = "DEFAULT {{ messages|length }}" },
            },
        });
        var (template, isFallback) = ChatTemplateLoader.FromTokenizerConfigJson(json, out var warning);
        Assert.False(isFallback);
        Assert.Null(warning);
        Assert.Equal("DEFAULT 2", template.Render(Conversation, addGenerationPrompt: false));
        Assert.Equal("TOOLS", ChatTemplateLoader.FromTokenizerConfigJson(json, out _, templateName: "tool_use").Template.Render(Conversation, false));
    }

    [Fact]
    public void NamedTemplateListWithoutTheNameFails()
    {
        var ex = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplateLoader.FromTokenizerConfigJson("""{"chat_template": [{"name": "rag", "template": "x"}]}""", out _));
        Assert.Contains("no chat template named 'default' (available: 'rag')", ex.Message);
    }

    [Fact]
    public void SidecarChatTemplateFileIsUsedWhenTheConfigHasNone()
    {
        var path = WriteConfig("""{"eos_token": "</s>"}""", sidecar: "{% for m in messages %}{{ m.role }}{{ eos_token }}{% endfor %}\n");
        var (template, isFallback) = ChatTemplateLoader.FromTokenizerConfig(path, out var warning);
        Assert.False(isFallback);
        Assert.Null(warning);
        Assert.Equal("system</s>user</s>", template.Render(Conversation, addGenerationPrompt: false));
    }

    [Fact]
    public void TemplateSyntaxErrorsAreNotHiddenByTheFallback()
    {
        var ex = Assert.Throws<ChatTemplateException>(() =>
            ChatTemplateLoader.FromTokenizerConfigJson("""{"chat_template": "{% for m in messages %}\n{{ m.content }"}""", out _));
        Assert.Equal(2, ex.Line);
    }
}
