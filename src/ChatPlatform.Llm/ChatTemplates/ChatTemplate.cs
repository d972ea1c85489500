namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// A parsed Hugging Face chat template (the Jinja text in a model's tokenizer_config.json), rendered the way
/// transformers' <c>apply_chat_template(..., tokenize=False)</c> does: Jinja2 semantics with
/// <c>trim_blocks</c> and <c>lstrip_blocks</c> on, <c>raise_exception</c> and <c>strftime_now</c> available, and
/// <c>tools</c>/<c>documents</c> defined as none unless given.
/// </summary>
/// <remarks>
/// Immutable and thread-safe: parse once per model, render per request. Rendering is sandboxed: templates only
/// see strings, numbers, lists, dicts and namespaces, and run under <see cref="ChatTemplateLimits"/>.
/// </remarks>
public sealed class ChatTemplate
{
    private readonly IReadOnlyList<Node> _body;

    private ChatTemplate(string source, IReadOnlyList<Node> body, ChatTemplateOptions options, IReadOnlyDictionary<string, object?> defaults)
    {
        Source = source;
        _body = body;
        Options = options;
        DefaultVariables = defaults;
    }

    /// <summary>The template text as given.</summary>
    public string Source { get; }

    public ChatTemplateOptions Options { get; }

    /// <summary>Variables every render starts from (the loader puts the model's bos_token and eos_token here).</summary>
    public IReadOnlyDictionary<string, object?> DefaultVariables { get; }

    /// <summary>Parses a template; a syntax error throws <see cref="ChatTemplateException"/> with line and column.</summary>
    public static ChatTemplate Parse(string source, ChatTemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var body = Parser.Parse(new SourceText(source));
        return new ChatTemplate(source, body, options ?? ChatTemplateOptions.Default, new Dictionary<string, object?>());
    }

    /// <summary>A copy whose renders start from <paramref name="variables"/> (later values win over earlier defaults).</summary>
    public ChatTemplate WithDefaultVariables(IReadOnlyDictionary<string, object?> variables)
    {
        var merged = new Dictionary<string, object?>(DefaultVariables, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
            merged[name] = value;
        return new ChatTemplate(Source, _body, Options, merged);
    }

    /// <summary>
    /// Renders a conversation. <paramref name="extra"/> holds bos_token, eos_token and any other template
    /// variables (tools, date_string, enable_thinking, ...); it overrides <see cref="DefaultVariables"/>.
    /// </summary>
    /// <exception cref="ChatTemplateException">The template raised, used something unsupported, or hit a sandbox limit.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (extra is not null && (extra.ContainsKey("messages") || extra.ContainsKey("add_generation_prompt")))
            throw new ArgumentException("pass messages and add_generation_prompt as arguments, not in extra", nameof(extra));
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            // transformers always passes these, so "tools is defined" is true and "tools is none" decides.
            ["tools"] = null,
            ["documents"] = null,
        };
        if (extra is not null)
            foreach (var (name, value) in extra)
                variables[name] = value;
        variables["messages"] = messages;
        variables["add_generation_prompt"] = addGenerationPrompt;
        return Render(variables);
    }

    /// <summary>Renders with exactly these variables (plus <see cref="DefaultVariables"/>), for templates used beyond chat.</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var converted = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in DefaultVariables)
            converted[name] = Values.FromClr(value, name);
        foreach (var (name, value) in variables)
            converted[name] = Values.FromClr(value, name);
        return new Interpreter(Options, converted).Render(_body);
    }
}
