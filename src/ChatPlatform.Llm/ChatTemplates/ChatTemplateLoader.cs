using System.Text.Json;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Reads a model's chat template and special tokens from its tokenizer_config.json, as transformers does.
/// </summary>
public static class ChatTemplateLoader
{
    /// <summary>
    /// ChatML, transformers' old default_chat_template, used when a model ships no template. Models trained on
    /// another format will see a prompt they were not trained on, hence the warning.
    /// </summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    // transformers passes every special token that is set to the template (SPECIAL_TOKENS_ATTRIBUTES).
    private static readonly string[] SpecialTokens = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"];

    /// <summary>
    /// Loads the template of the tokenizer_config.json at <paramref name="tokenizerConfigPath"/>, with the
    /// model's special tokens as default variables. <c>chat_template</c> may be a string or a list of
    /// <c>{name, template}</c> (the one named <paramref name="templateName"/> is used); without one, a
    /// <c>chat_template.jinja</c> file beside the config is used (newer transformers saves it there), and
    /// failing that ChatML, with <paramref name="warning"/> saying so.
    /// </summary>
    /// <exception cref="ChatTemplateException">The template has a syntax error or the chat_template field is malformed.</exception>
    public static (ChatTemplate Template, bool IsFallback) FromTokenizerConfig(
        string tokenizerConfigPath, out string? warning, string templateName = "default", ChatTemplateOptions? options = null)
    {
        var json = File.ReadAllText(tokenizerConfigPath);
        var sidecar = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerConfigPath)) ?? ".", "chat_template.jinja");
        return Load(json, tokenizerConfigPath, File.Exists(sidecar) ? File.ReadAllText(sidecar) : null, out warning, templateName, options);
    }

    /// <summary>
    /// The template of a model folder: its tokenizer_config.json as <see cref="FromTokenizerConfig"/> reads it, or ChatML
    /// with a warning when the folder has no tokenizer_config.json at all.
    /// </summary>
    public static (ChatTemplate Template, bool IsFallback) FromModelFolder(string modelFolder, out string? warning)
    {
        var configPath = Path.Combine(modelFolder, "tokenizer_config.json");
        return File.Exists(configPath)
            ? FromTokenizerConfig(configPath, out warning)
            : FromTokenizerConfigJson("{}", out warning);
    }

    /// <summary>As <see cref="FromTokenizerConfig"/>, from the JSON text of a tokenizer_config.json.</summary>
    public static (ChatTemplate Template, bool IsFallback) FromTokenizerConfigJson(
        string tokenizerConfigJson, out string? warning, string templateName = "default", ChatTemplateOptions? options = null) =>
        Load(tokenizerConfigJson, "tokenizer_config.json", sidecarTemplate: null, out warning, templateName, options);

    private static (ChatTemplate, bool) Load(string json, string origin, string? sidecarTemplate, out string? warning, string templateName, ChatTemplateOptions? options)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new ChatTemplateException($"{origin}: expected a JSON object");

        var tokens = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in SpecialTokens)
            if (TokenText(root, name) is { } text)
                tokens[name] = text;

        warning = null;
        var source = SelectTemplate(root, origin, templateName) ?? sidecarTemplate;
        var isFallback = source is null;
        if (source is null)
        {
            warning = $"{origin} has no chat_template; using the ChatML fallback (<|im_start|>role ... <|im_end|>). "
                + "If this model was trained on another prompt format its answers will suffer: set the template explicitly.";
            source = ChatMlTemplate;
        }
        var template = ChatTemplate.Parse(source, options).WithDefaultVariables(tokens);
        return (template, isFallback);
    }

    private static string? SelectTemplate(JsonElement root, string origin, string templateName)
    {
        if (!root.TryGetProperty("chat_template", out var element))
            return null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Array:
                var names = new List<string>();
                foreach (var entry in element.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object
                        || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                        || !entry.TryGetProperty("template", out var text) || text.ValueKind != JsonValueKind.String)
                        throw new ChatTemplateException($"{origin}: chat_template list entries must be {{\"name\": ..., \"template\": ...}} objects");
                    if (name.GetString() == templateName)
                        return text.GetString();
                    names.Add(name.GetString()!);
                }
                throw new ChatTemplateException(
                    $"{origin}: no chat template named '{templateName}' (available: {string.Join(", ", names.Select(n => $"'{n}'"))})");
            default:
                throw new ChatTemplateException($"{origin}: chat_template must be a string or a list of named templates, not {element.ValueKind}");
        }
    }

    /// <summary>A special token is either its text or an AddedToken object <c>{"content": "...", ...}</c>.</summary>
    private static string? TokenText(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var token))
            return null;
        var text = token.ValueKind switch
        {
            JsonValueKind.String => token.GetString(),
            JsonValueKind.Object when token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
