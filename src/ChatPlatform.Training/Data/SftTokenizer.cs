using System.Text.Json;
using ChatPlatform.Llm.ChatTemplates;
using ChatPlatform.Llm.Tokenization;

namespace ChatPlatform.Training.Data;

/// <summary>
/// One example as the model sees it in training.
/// </summary>
/// <param name="InputIds">The token ids of the rendered conversation (special tokens come from the template text).</param>
/// <param name="Labels">
/// Aligned with <paramref name="InputIds"/> as in transformers: <c>Labels[t]</c> is the token at position t when it
/// carries loss, else <see cref="SftTokenizer.IgnoreIndex"/>. The loss shifts by one (logits at t predict label t+1).
/// </param>
/// <param name="Truncated">The conversation was longer than the maximum length and its end was cut off.</param>
public sealed record TokenizedExample(int[] InputIds, int[] Labels, bool Truncated)
{
    /// <summary>The example's source ("file:line"), when it came from a dataset.</summary>
    public string? Source { get; init; }

    public int Length => InputIds.Length;

    /// <summary>Tokens that carry loss.</summary>
    public int LabelCount => Labels.Count(l => l != SftTokenizer.IgnoreIndex);
}

/// <summary>Which assistant turns of a conversation carry loss.</summary>
public enum SftLossTurns
{
    /// <summary>Every assistant turn (TRL's assistant_only_loss, LLaMA-Factory's default).</summary>
    AllAssistantTurns,

    /// <summary>
    /// Only the last assistant turn; earlier turns are context. Needed for templates that render history
    /// differently from the latest turn (Qwen3 drops earlier turns' reasoning), where earlier turns cannot be
    /// cut out of the full render.
    /// </summary>
    LastAssistantTurn,
}

/// <summary>How examples are tokenized.</summary>
public sealed record SftTokenizerOptions
{
    /// <summary>Longest example in tokens; longer ones keep their start. Null: no limit.</summary>
    public int? MaxLength { get; init; }

    public SftLossTurns LossTurns { get; init; } = SftLossTurns.AllAssistantTurns;

    /// <summary>Extra chat-template variables for every render (e.g. <c>date_string</c>, <c>enable_thinking</c>).</summary>
    public IReadOnlyDictionary<string, object?>? TemplateVariables { get; init; }

    /// <summary>The padding id; null: the tokenizer's pad token, else its EOS (transformers' usual fallback).</summary>
    public int? PadTokenId { get; init; }
}

/// <summary>What tokenizing a dataset produced, and what it dropped or cut.</summary>
/// <param name="Examples">The examples kept, in input order.</param>
/// <param name="Truncated">How many kept examples were cut to the maximum length.</param>
/// <param name="Dropped">Sources of examples whose first assistant token lies beyond the maximum length.</param>
public sealed record SftTokenizedDataset(IReadOnlyList<TokenizedExample> Examples, int Truncated, IReadOnlyList<string> Dropped);

/// <summary>
/// Turns conversations into training token ids with loss only on what the assistant says: each assistant
/// turn's content and the template's end-of-turn token after it (<c>&lt;|im_end|&gt;</c>, <c>&lt;|eot_id|&gt;</c>,
/// <c>&lt;/s&gt;</c>), as TRL's assistant_only_loss does. System and user turns and the template's scaffolding
/// (role headers, BOS, the whitespace after an end-of-turn token) get <see cref="IgnoreIndex"/>.
/// </summary>
/// <remarks>
/// <para>Works for any chat template without knowing its format, as LLaMA-Factory does with its own templates:
/// for each assistant turn i, the conversation before it rendered with <c>add_generation_prompt=true</c> ends
/// where the turn starts in the full render, and the conversation through it rendered without the prompt ends
/// where the turn ends. The full render is thereby cut into alternating prompt and assistant segments. An assistant
/// segment is what the model has to write after the inference prompt (should a template's generation prompt stop
/// short of a rendered turn's header, the rest of the header is learned), up to its end-of-turn token: trailing whitespace goes to the next
/// prompt segment (ChatML's "\n" after <c>&lt;|im_end|&gt;</c>), as generation stops at the end-of-turn token.
/// A template that renders earlier turns differently once later turns follow is reported, not guessed at
/// (use <see cref="SftLossTurns.LastAssistantTurn"/> for it).</para>
/// <para>Segments are tokenized without special tokens (the template text already has BOS and the markers)
/// and concatenated. The ids are always those of tokenizing the whole render at once, which is what
/// transformers' <c>apply_chat_template(tokenize=True)</c> and inference produce: when a merge crosses a
/// segment boundary, or a SentencePiece tokenizer would add its dummy-prefix space to every segment, the
/// segments are taken from the whole render's ids instead (the shared prefix of the ids of each render prefix;
/// a token straddling a boundary goes to the later segment).</para>
/// </remarks>
public sealed class SftTokenizer
{
    /// <summary>The label of a token without loss (PyTorch cross-entropy's default ignore_index).</summary>
    public const int IgnoreIndex = -100;

    private readonly HfTokenizer _tokenizer;
    private readonly ChatTemplate _template;
    private readonly SftTokenizerOptions _options;

    /// <summary>Uses <paramref name="template"/> with its default variables (bos_token, eos_token) plus the options' variables.</summary>
    public SftTokenizer(HfTokenizer tokenizer, ChatTemplate template, SftTokenizerOptions? options = null)
        : this(tokenizer, template, options, padTokenFromConfig: null)
    {
    }

    private SftTokenizer(HfTokenizer tokenizer, ChatTemplate template, SftTokenizerOptions? options, string? padTokenFromConfig)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(template);
        _options = options ?? new SftTokenizerOptions();
        if (_options.MaxLength is < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.MaxLength, "MaxLength must be at least 1");
        _tokenizer = tokenizer;
        _template = _options.TemplateVariables is { } vars ? template.WithDefaultVariables(vars) : template;

        // ChatTemplateLoader puts tokenizer_config.json's pad_token among the template's variables.
        var padToken = padTokenFromConfig
            ?? (template.DefaultVariables.TryGetValue("pad_token", out var p) ? p as string : null);
        PadTokenId = _options.PadTokenId
            ?? (padToken is null ? null : tokenizer.TokenToId(padToken))
            ?? tokenizer.EosTokenId
            ?? throw new ArgumentException("the tokenizer has neither a pad nor an EOS token: set SftTokenizerOptions.PadTokenId", nameof(options));
    }

    /// <summary>
    /// Reads the tokenizer and chat template of a Hugging Face model folder the way <c>LocalModel.Load</c> does,
    /// without the weights. A folder without a chat template gets ChatML, and <see cref="TemplateWarning"/> says so.
    /// </summary>
    public static SftTokenizer FromModelFolder(string modelDir, SftTokenizerOptions? options = null)
    {
        var tokenizer = HfTokenizer.FromDirectory(modelDir);
        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        var (template, _) = ChatTemplateLoader.FromModelFolder(modelDir, out var warning);
        return new SftTokenizer(tokenizer, template, options, File.Exists(configPath) ? PadToken(configPath) : null)
        {
            TemplateWarning = warning,
        };
    }

    public HfTokenizer Tokenizer => _tokenizer;

    public ChatTemplate Template => _template;

    public SftTokenizerOptions Options => _options;

    /// <summary>The id to pad batches with: the options', else the tokenizer's pad token, else its EOS.</summary>
    public int PadTokenId { get; }

    /// <summary>Set when the model folder has no chat template and ChatML is used.</summary>
    public string? TemplateWarning { get; private init; }

    /// <summary>Tokenizes every example, keeping input order; dropped and truncated examples are counted.</summary>
    /// <exception cref="SftDataException">The template cannot render an example, or renders its turns inconsistently.</exception>
    public SftTokenizedDataset TokenizeAll(IEnumerable<SftExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var kept = new List<TokenizedExample>();
        var dropped = new List<string>();
        var truncated = 0;
        foreach (var example in examples)
        {
            if (Tokenize(example) is not { } t)
            {
                dropped.Add(example.Source);
                continue;
            }
            kept.Add(t);
            if (t.Truncated) truncated++;
        }
        return new SftTokenizedDataset(kept, truncated, dropped);
    }

    /// <summary>
    /// The example's ids and labels, cut to <see cref="SftTokenizerOptions.MaxLength"/> (keeping the start);
    /// null when even the first assistant token lies beyond it, so nothing would be learned.
    /// </summary>
    /// <exception cref="SftDataException">The template cannot render the example, or renders its turns inconsistently.</exception>
    public TokenizedExample? Tokenize(SftExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var (text, spans) = RenderWithAssistantSpans(example);
        var (ids, labels) = TokenizeSegments(text, spans);

        var truncated = false;
        if (_options.MaxLength is { } max && ids.Length > max)
        {
            var firstLabel = Array.FindIndex(labels, l => l != IgnoreIndex);
            if (firstLabel < 0 || firstLabel >= max) return null;
            ids = ids[..max];
            labels = labels[..max];
            truncated = true;
        }
        return new TokenizedExample(ids, labels, truncated) { Source = example.Source };
    }

    /// <summary>
    /// The full render of the conversation and the character ranges that carry loss, in order. Public so a
    /// dataset preview can show what the model will be trained on.
    /// </summary>
    public (string Text, IReadOnlyList<Range> AssistantSpans) RenderWithAssistantSpans(SftExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var messages = example.Messages;
        var full = Render(example, messages.Count, addGenerationPrompt: false);
        var lastAssistant = -1;
        for (var i = 0; i < messages.Count; i++)
            if (messages[i].Role == "assistant") lastAssistant = i;
        if (lastAssistant < 0) throw new SftDataException(example.Source, null, "no assistant turn to learn from");

        var spans = new List<Range>();
        var previousEnd = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role != "assistant") continue;
            if (_options.LossTurns == SftLossTurns.LastAssistantTurn && i != lastAssistant) continue;

            // The prompt for this turn usually is an exact prefix of the full render; when the generation prompt
            // differs from the rendered header (e.g. a newline more or less), the turn starts where they part.
            var prompt = Render(example, i, addGenerationPrompt: true);
            var start = CommonPrefixLength(prompt, full);
            int end;
            if (i == messages.Count - 1)
            {
                end = full.Length;
            }
            else
            {
                var through = Render(example, i + 1, addGenerationPrompt: false);
                if (!full.StartsWith(through, StringComparison.Ordinal))
                    throw new SftDataException(example.Source, $"messages[{i}]",
                        "the chat template renders this assistant turn differently once later turns follow (as Qwen3 does with "
                        + "reasoning), so its tokens cannot be cut out of the conversation: tokenize with LossTurns = LastAssistantTurn");
                end = through.Length;
            }
            if (start < previousEnd || end <= start)
                throw new SftDataException(example.Source, $"messages[{i}]",
                    "the chat template's generation prompt does not match how it renders this assistant turn");

            // Whitespace after the end-of-turn token is scaffolding the model never has to produce.
            var labelEnd = end;
            while (labelEnd > start && char.IsWhiteSpace(full[labelEnd - 1])) labelEnd--;
            if (labelEnd == start)
                throw new SftDataException(example.Source, $"messages[{i}]", "the chat template renders this assistant turn as whitespace only");
            spans.Add(start..labelEnd);
            previousEnd = labelEnd;
        }
        return (full, spans);
    }

    private string Render(SftExample example, int messageCount, bool addGenerationPrompt)
    {
        var messages = messageCount == example.Messages.Count ? example.Messages : example.Messages.Take(messageCount).ToList();
        try
        {
            return _template.Render(messages, addGenerationPrompt);
        }
        catch (ChatTemplateException e)
        {
            throw new SftDataException(example.Source, null, $"the chat template cannot render this conversation: {e.Message}", e);
        }
    }

    /// <summary>Ids of <paramref name="text"/> and labels that copy the ids inside <paramref name="spans"/>.</summary>
    private (int[] Ids, int[] Labels) TokenizeSegments(string text, IReadOnlyList<Range> spans)
    {
        // Boundaries between alternating prompt / assistant segments, with whether each segment carries loss.
        var bounds = new List<int> { 0 };
        var isAssistant = new List<bool>();
        foreach (var span in spans)
        {
            var (s, e) = (span.Start.Value, span.End.Value);
            if (s > bounds[^1])
            {
                bounds.Add(s);
                isAssistant.Add(false);
            }
            bounds.Add(e);
            isAssistant.Add(true);
        }
        if (text.Length > bounds[^1])
        {
            bounds.Add(text.Length);
            isAssistant.Add(false);
        }

        var whole = _tokenizer.Encode(text, addSpecialTokens: false);
        var tokenBounds = SegmentTokensSeparately(text, bounds, whole) ?? SegmentTokensByPrefix(text, bounds, whole);

        var labels = new int[whole.Length];
        Array.Fill(labels, IgnoreIndex);
        for (var k = 0; k < isAssistant.Count; k++)
            if (isAssistant[k])
                for (var t = tokenBounds[k]; t < tokenBounds[k + 1]; t++)
                    labels[t] = whole[t];
        return (whole, labels);
    }

    /// <summary>
    /// Token boundaries from tokenizing each segment on its own, or null when their concatenation is not the
    /// whole text's tokenization (a merge across a boundary, or SentencePiece's dummy prefix on each segment).
    /// </summary>
    private int[]? SegmentTokensSeparately(string text, List<int> bounds, int[] whole)
    {
        var tokenBounds = new int[bounds.Count];
        var position = 0;
        for (var k = 0; k + 1 < bounds.Count; k++)
        {
            var ids = _tokenizer.Encode(text[bounds[k]..bounds[k + 1]], addSpecialTokens: false);
            if (position + ids.Length > whole.Length || !ids.AsSpan().SequenceEqual(whole.AsSpan(position, ids.Length))) return null;
            position += ids.Length;
            tokenBounds[k + 1] = position;
        }
        return position == whole.Length ? tokenBounds : null;
    }

    /// <summary>
    /// Token boundaries from the whole text's ids: boundary k is where the ids of <c>text[..bounds[k]]</c> stop
    /// agreeing with them. A token that straddles a boundary therefore belongs to the later segment.
    /// </summary>
    private int[] SegmentTokensByPrefix(string text, List<int> bounds, int[] whole)
    {
        var tokenBounds = new int[bounds.Count];
        for (var k = 1; k + 1 < bounds.Count; k++)
        {
            var prefix = _tokenizer.Encode(text[..bounds[k]], addSpecialTokens: false);
            var shared = prefix.AsSpan().CommonPrefixLength(whole);
            tokenBounds[k] = Math.Max(shared, tokenBounds[k - 1]);
        }
        tokenBounds[^1] = whole.Length;
        return tokenBounds;
    }

    private static int CommonPrefixLength(string a, string b) => a.AsSpan().CommonPrefixLength(b);

    private static string? PadToken(string tokenizerConfigPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(tokenizerConfigPath),
            new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("pad_token", out var pad)) return null;
        return pad.ValueKind switch
        {
            JsonValueKind.String => pad.GetString(),
            JsonValueKind.Object when pad.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => null,
        };
    }
}
