using ChatPlatform.Llm.ChatTemplates;
using ChatPlatform.Llm.Tokenization;
using ChatPlatform.Training.Data;
using static ChatPlatform.Training.Tests.Data.DataTestFiles;

namespace ChatPlatform.Training.Tests.Data;

/// <summary>
/// Assistant-only labels on real tokenizers and real chat templates (ChatML/Qwen, Llama-3, Llama-2 and Mistral
/// on a SentencePiece tokenizer). The expectations are independent of the code under test: the ids must be the
/// tokenizer's ids for the template's render (both checked against Hugging Face in the Llm tests), and the
/// labelled tokens must decode to the assistant contents written out here by hand, with the end-of-turn token
/// whose id is the model's published one.
/// </summary>
public sealed class SftTokenizerTests
{
    // Published special-token ids of the reference vocabularies.
    private const int QwenImEnd = 151645, QwenEndOfText = 151643;
    private const int Llama3BeginOfText = 128000, Llama3EotId = 128009;
    private const int SentencePieceEos = 2;

    private const string System = "You are the support assistant of Contoso.";
    private const string Question1 = "Where is my order?";
    private const string Answer1 = "Sure, what's the order number?";
    private const string Question2 = "It's 12345 — placed on Monday.";
    private const string Answer2 = "Order 12345 ships tomorrow.\nYou'll get a tracking link by e-mail. 📦";

    private static SftExample TwoTurns(bool withSystem = true)
    {
        var messages = new List<ChatMessage>();
        if (withSystem) messages.Add(new ChatMessage("system", System));
        messages.AddRange([
            new ChatMessage("user", Question1), new ChatMessage("assistant", Answer1),
            new ChatMessage("user", Question2), new ChatMessage("assistant", Answer2),
        ]);
        return new SftExample(messages, "test.jsonl:7");
    }

    private static SftExample OneTurn(string answer = Answer1) =>
        new([new ChatMessage("user", Question1), new ChatMessage("assistant", answer)], "test.jsonl:1");

    /// <summary>The maximal runs of consecutive tokens that carry loss, as (start, ids).</summary>
    private static List<(int Start, int[] Ids)> LabelledRuns(TokenizedExample t)
    {
        var runs = new List<(int, int[])>();
        for (var i = 0; i < t.Labels.Length;)
        {
            if (t.Labels[i] == SftTokenizer.IgnoreIndex)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < t.Labels.Length && t.Labels[i] != SftTokenizer.IgnoreIndex) i++;
            runs.Add((start, t.Labels[start..i]));
        }
        return runs;
    }

    /// <summary>What holds for every template: labels copy the ids where set, and the ids are the render's tokens.</summary>
    private static string CheckInvariants(SftTokenizer sft, SftExample example, TokenizedExample t)
    {
        Assert.Equal(t.InputIds.Length, t.Labels.Length);
        for (var i = 0; i < t.Labels.Length; i++)
            Assert.True(t.Labels[i] == SftTokenizer.IgnoreIndex || t.Labels[i] == t.InputIds[i], $"label {i} is neither -100 nor the input id");
        var rendered = sft.Template.Render(example.Messages, addGenerationPrompt: false);
        // Exactly what transformers' apply_chat_template(tokenize=True) gives: the render tokenized as a whole.
        Assert.Equal(sft.Tokenizer.Encode(rendered, addSpecialTokens: false), t.InputIds);
        Assert.False(t.Truncated);
        return rendered;
    }

    private static void AssertRuns(HfTokenizer tokenizer, TokenizedExample t, params string[] expected)
    {
        var runs = LabelledRuns(t);
        Assert.Equal(expected.Length, runs.Count);
        for (var k = 0; k < expected.Length; k++)
        {
            var decoded = tokenizer.Decode(runs[k].Ids);
            Assert.True(expected[k] == decoded, $"run {k}: expected {Show(expected[k])}, got {Show(decoded)}");
        }
    }

    [Fact]
    public void ChatML_labels_each_assistant_content_and_im_end_but_not_the_newline_after_it()
    {
        var tokenizer = Tokenizer("qwen3");
        var sft = new SftTokenizer(tokenizer, Template("qwen2.5-instruct", bos: null, eos: "<|im_end|>"));
        var example = TwoTurns();

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        Assert.StartsWith("<|im_start|>system\n" + System + "<|im_end|>\n<|im_start|>user\n", rendered, StringComparison.Ordinal);
        AssertRuns(tokenizer, t, Answer1 + "<|im_end|>", Answer2 + "<|im_end|>");
        // Token level: each run is the content's own tokens (it follows "assistant\n", where no merge crosses)
        // then <|im_end|>; the "\n" token after <|im_end|> carries no loss.
        var runs = LabelledRuns(t);
        Assert.Equal([.. tokenizer.Encode(Answer1, false), QwenImEnd], runs[0].Ids);
        Assert.Equal([.. tokenizer.Encode(Answer2, false), QwenImEnd], runs[1].Ids);
        Assert.Equal(SftTokenizer.IgnoreIndex, t.Labels[runs[0].Start + runs[0].Ids.Length]);
        Assert.Equal("\n", tokenizer.Decode([t.InputIds[runs[1].Start + runs[1].Ids.Length]]));
        Assert.Equal(t.InputIds.Length, runs[1].Start + runs[1].Ids.Length + 1);
        Assert.Equal(runs[0].Ids.Length + runs[1].Ids.Length, t.LabelCount);
    }

    [Fact]
    public void Llama3_labels_each_assistant_content_and_eot_id()
    {
        var tokenizer = Tokenizer("llama3_1");
        var sft = new SftTokenizer(tokenizer, Template("llama3-instruct", bos: "<|begin_of_text|>", eos: "<|eot_id|>"));
        var example = TwoTurns();

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        Assert.Equal(Llama3BeginOfText, t.InputIds[0]);
        Assert.Equal(1, t.InputIds.Count(id => id == Llama3BeginOfText)); // the template's BOS only, none added
        AssertRuns(tokenizer, t, Answer1 + "<|eot_id|>", Answer2 + "<|eot_id|>");
        var runs = LabelledRuns(t);
        Assert.Equal([.. tokenizer.Encode(Answer1, false), Llama3EotId], runs[0].Ids);
        Assert.Equal(t.InputIds.Length, runs[1].Start + runs[1].Ids.Length); // the conversation ends with <|eot_id|>
    }

    [Fact]
    public void Llama31_template_with_its_generated_system_header_labels_only_the_answers()
    {
        var tokenizer = Tokenizer("llama3_1");
        var sft = new SftTokenizer(tokenizer, Template("llama3.1-instruct", bos: "<|begin_of_text|>", eos: "<|eot_id|>"));
        var example = TwoTurns(withSystem: false);

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.Contains("Cutting Knowledge Date: December 2023", rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        AssertRuns(tokenizer, t, Answer1 + "<|eot_id|>", Answer2 + "<|eot_id|>");
    }

    [Fact]
    public void Llama2_template_on_sentencepiece_labels_answer_space_and_eos()
    {
        // legacy: false, as current Llama/Mistral tokenizer configs: no dummy-prefix space after special tokens,
        // so decoding the ids gives the render back exactly.
        var tokenizer = Tokenizer("mistral", configFrom: "mistral-legacy-false");
        var sft = new SftTokenizer(tokenizer, Template("llama2-chat", bos: "<s>", eos: "</s>"));
        var example = TwoTurns();

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.StartsWith("<s>[INST] <<SYS>>\n" + System + "\n<</SYS>>\n\n" + Question1 + " [/INST] " + Answer1 + " </s><s>[INST]", rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        // The template writes ' ' + answer + ' ' + eos; the SentencePiece decoder drops a leading space.
        AssertRuns(tokenizer, t, Answer1 + " </s>", Answer2 + " </s>");
        Assert.All(LabelledRuns(t), run => Assert.Equal(SentencePieceEos, run.Ids[^1]));
    }

    [Fact]
    public void Mistral_template_labels_answer_and_eos_but_not_the_space_after_it()
    {
        var tokenizer = Tokenizer("mistral", configFrom: "mistral-legacy-false");
        var sft = new SftTokenizer(tokenizer, Template("mistral-7b-instruct-v0.1", bos: "<s>", eos: "</s>"));
        var example = TwoTurns(withSystem: false);

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.Equal($"<s>[INST] {Question1} [/INST]{Answer1}</s> [INST] {Question2} [/INST]{Answer2}</s> ", rendered);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        AssertRuns(tokenizer, t, Answer1 + "</s>", Answer2 + "</s>");
        Assert.Equal(SftTokenizer.IgnoreIndex, t.Labels[^1]); // the trailing space
    }

    [Fact]
    public void Zephyr_template_labels_answer_and_eos_after_its_newline_terminated_prompt()
    {
        // TinyLlama's (Zephyr) template: "<|assistant|>" and a newline open the turn both in the generation prompt
        // and in a rendered turn; the "\n" after </s> is scaffolding.
        var tokenizer = Tokenizer("mistral", configFrom: "mistral-legacy-false");
        var sft = new SftTokenizer(tokenizer, Template("tinyllama-chat", bos: "<s>", eos: "</s>"));
        var example = TwoTurns();

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.EndsWith($"<|user|>\n{Question1}</s>\n<|assistant|>\n", sft.Template.Render(example.Messages.Take(2).ToList(), addGenerationPrompt: true), StringComparison.Ordinal);
        Assert.Contains($"<|user|>\n{Question1}</s>\n<|assistant|>\n{Answer1}</s>\n", rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        AssertRuns(tokenizer, t, Answer1 + "</s>", Answer2 + "</s>");
        Assert.Equal(SftTokenizer.IgnoreIndex, t.Labels[^1]);
    }

    [Fact]
    public void A_generation_prompt_that_goes_beyond_the_rendered_header_starts_the_turn_where_they_part()
    {
        // As DeepSeek-R1's later templates: the generation prompt opens a think block the rendered turns do not have.
        const string source =
            "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n<think>\n' }}{% endif %}";
        var tokenizer = Tokenizer("qwen3");
        var sft = new SftTokenizer(tokenizer, ChatTemplate.Parse(source), new SftTokenizerOptions { PadTokenId = QwenEndOfText });
        var example = TwoTurns();

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.DoesNotContain("<think>", rendered, StringComparison.Ordinal);
        AssertRuns(tokenizer, t, Answer1 + "<|im_end|>", Answer2 + "<|im_end|>");
    }

    [Fact]
    public void Legacy_sentencepiece_ids_equal_the_whole_render_tokenized_even_though_segments_would_differ()
    {
        // legacy: true prepends "▁" to every piece after a special token, and to any text encoded on its own, so
        // encoding the segments separately would give other ids than the whole render: the segments come from the
        // whole render's ids instead.
        var tokenizer = Tokenizer("mistral");
        var sft = new SftTokenizer(tokenizer, Template("llama2-chat", bos: "<s>", eos: "</s>"));
        var example = TwoTurns();
        var rendered = sft.Template.Render(example.Messages, addGenerationPrompt: false);
        var answerStart = rendered.IndexOf(" " + Answer1, StringComparison.Ordinal);
        var separately = tokenizer.Encode(rendered[..answerStart], false).Concat(tokenizer.Encode(rendered[answerStart..], false)).ToArray();
        Assert.NotEqual(tokenizer.Encode(rendered, false), separately);

        var t = sft.Tokenize(example)!;

        CheckInvariants(sft, example, t);
        AssertRuns(tokenizer, t, Answer1 + " </s>", Answer2 + " </s>");
    }

    [Fact]
    public void Qwen3_single_turn_labels_the_empty_think_block_the_template_writes_for_the_answer()
    {
        var tokenizer = Tokenizer("qwen3");
        var sft = SftTokenizer.FromModelFolder(TokenizerFolder("qwen3"));
        var example = OneTurn();

        var t = sft.Tokenize(example)!;

        var rendered = CheckInvariants(sft, example, t);
        Assert.Equal($"<|im_start|>user\n{Question1}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n{Answer1}<|im_end|>\n", rendered);
        Assert.Equal(rendered, tokenizer.Decode(t.InputIds));
        AssertRuns(tokenizer, t, "<think>\n\n</think>\n\n" + Answer1 + "<|im_end|>");
    }

    [Fact]
    public void Qwen3_multi_turn_is_refused_for_all_turns_and_trains_the_last_turn_only_on_request()
    {
        // Qwen3's template writes the think block only after the last user turn, so the first answer is rendered
        // differently alone than inside the whole conversation.
        var folder = TokenizerFolder("qwen3");
        var example = TwoTurns();

        var e = Assert.Throws<SftDataException>(() => SftTokenizer.FromModelFolder(folder).Tokenize(example));
        Assert.Equal("test.jsonl:7", e.Location);
        Assert.Equal("messages[2]", e.Field);
        Assert.Contains("LastAssistantTurn", e.Message, StringComparison.Ordinal);

        var sft = SftTokenizer.FromModelFolder(folder, new SftTokenizerOptions { LossTurns = SftLossTurns.LastAssistantTurn });
        var t = sft.Tokenize(example)!;
        var rendered = CheckInvariants(sft, example, t);
        Assert.Contains($"<|im_start|>assistant\n{Answer1}<|im_end|>", rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, sft.Tokenizer.Decode(t.InputIds));
        AssertRuns(sft.Tokenizer, t, "<think>\n\n</think>\n\n" + Answer2 + "<|im_end|>");
    }

    [Fact]
    public void Last_turn_only_leaves_earlier_answers_without_loss()
    {
        var tokenizer = Tokenizer("llama3_1");
        var template = Template("llama3-instruct", bos: "<|begin_of_text|>", eos: "<|eot_id|>");
        var all = new SftTokenizer(tokenizer, template).Tokenize(TwoTurns())!;
        var last = new SftTokenizer(tokenizer, template, new SftTokenizerOptions { LossTurns = SftLossTurns.LastAssistantTurn }).Tokenize(TwoTurns())!;

        Assert.Equal(all.InputIds, last.InputIds);
        AssertRuns(tokenizer, last, Answer2 + "<|eot_id|>");
        Assert.Equal(LabelledRuns(all)[1].Start, LabelledRuns(last)[0].Start);
        Assert.Equal(LabelledRuns(all)[1].Ids, LabelledRuns(last)[0].Ids);
    }

    [Fact]
    public void A_template_that_rejects_the_conversation_is_reported_with_the_example_location()
    {
        // Mistral v0.1's template has no system role: a system message first breaks its user/assistant alternation.
        var sft = new SftTokenizer(Tokenizer("mistral"), Template("mistral-7b-instruct-v0.1", bos: "<s>", eos: "</s>"));

        var e = Assert.Throws<SftDataException>(() => sft.Tokenize(TwoTurns(withSystem: true)));

        Assert.StartsWith("test.jsonl:7: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("Conversation roles must alternate user/assistant", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncation_keeps_the_start_and_marks_the_example()
    {
        var tokenizer = Tokenizer("qwen3");
        var template = Template("qwen2.5-instruct", bos: null, eos: "<|im_end|>");
        var full = new SftTokenizer(tokenizer, template).Tokenize(TwoTurns())!;
        var firstLabel = Array.FindIndex(full.Labels, l => l != SftTokenizer.IgnoreIndex);
        var max = firstLabel + 3;

        var cut = new SftTokenizer(tokenizer, template, new SftTokenizerOptions { MaxLength = max }).Tokenize(TwoTurns())!;

        Assert.True(cut.Truncated);
        Assert.Equal(full.InputIds[..max], cut.InputIds);
        Assert.Equal(full.Labels[..max], cut.Labels);
        Assert.Equal(3, cut.LabelCount);

        var exact = new SftTokenizer(tokenizer, template, new SftTokenizerOptions { MaxLength = full.Length }).Tokenize(TwoTurns())!;
        Assert.False(exact.Truncated);
        Assert.Equal(full.InputIds, exact.InputIds);
    }

    [Fact]
    public void An_example_whose_first_answer_token_is_beyond_the_limit_is_dropped_and_counted()
    {
        var tokenizer = Tokenizer("qwen3");
        var template = Template("qwen2.5-instruct", bos: null, eos: "<|im_end|>");
        var longPrompt = TwoTurns() with { Messages = [new ChatMessage("system", string.Join(' ', Enumerable.Repeat(System, 10))), .. TwoTurns().Messages.Skip(1)] };
        var full = new SftTokenizer(tokenizer, template).Tokenize(longPrompt)!;
        var firstLabel = Array.FindIndex(full.Labels, l => l != SftTokenizer.IgnoreIndex);
        var shortOne = OneTurn("Yes.") with { Source = "test.jsonl:2" };
        Assert.True(new SftTokenizer(tokenizer, template).Tokenize(shortOne)!.Length < firstLabel);

        var sft = new SftTokenizer(tokenizer, template, new SftTokenizerOptions { MaxLength = firstLabel });
        Assert.Null(sft.Tokenize(longPrompt));
        var dataset = sft.TokenizeAll([longPrompt, shortOne]);

        Assert.Equal(["test.jsonl:7"], dataset.Dropped);
        var kept = Assert.Single(dataset.Examples);
        Assert.Equal("test.jsonl:2", kept.Source);
        Assert.False(kept.Truncated);
        Assert.Equal(0, dataset.Truncated);

        var withTruncation = new SftTokenizer(tokenizer, template, new SftTokenizerOptions { MaxLength = firstLabel + 1 }).TokenizeAll([longPrompt, shortOne]);
        Assert.Empty(withTruncation.Dropped);
        Assert.Equal(1, withTruncation.Truncated);
        Assert.Equal(1, withTruncation.Examples[0].LabelCount);
    }

    [Fact]
    public void Pad_id_is_the_configured_pad_token_else_eos_else_the_option()
    {
        // Qwen's tokenizer_config.json sets pad_token <|endoftext|>; Llama 3.1's has none, so its EOS pads.
        Assert.Equal(QwenEndOfText, SftTokenizer.FromModelFolder(TokenizerFolder("qwen3")).PadTokenId);
        Assert.Equal(Llama3EotId, SftTokenizer.FromModelFolder(TokenizerFolder("llama3_1")).PadTokenId);
        Assert.Equal(7, SftTokenizer.FromModelFolder(TokenizerFolder("llama3_1"), new SftTokenizerOptions { PadTokenId = 7 }).PadTokenId);
        Assert.Null(SftTokenizer.FromModelFolder(TokenizerFolder("llama3_1")).TemplateWarning);
    }

    [Fact]
    public void Shared_stories_model_without_a_template_uses_chatml_and_still_labels_only_answers()
    {
        var folder = Path.Combine(SharedDir, "models", "stories260K-hf");
        if (!Directory.Exists(folder)) Assert.Skip($"{folder} is not on this machine");
        var sft = SftTokenizer.FromModelFolder(folder);
        var example = new SftExample([new ChatMessage("user", "Once upon a time"), new ChatMessage("assistant", "there was a cat.")], "s:1");

        var t = sft.Tokenize(example)!;

        Assert.NotNull(sft.TemplateWarning);
        var rendered = CheckInvariants(sft, example, t);
        Assert.Equal("<|im_start|>user\nOnce upon a time<|im_end|>\n<|im_start|>assistant\nthere was a cat.<|im_end|>\n", rendered);
        // Here <|im_end|> is plain text (the tiny vocabulary has no such token), so it is labelled as text.
        var run = Assert.Single(LabelledRuns(t));
        Assert.Equal("there was a cat.<|im_end|>", sft.Tokenizer.Decode(run.Ids).TrimStart());
        Assert.Equal(2, sft.PadTokenId); // no pad token: EOS </s>
    }

    [Fact]
    public void Assistant_spans_are_exposed_for_previews()
    {
        var sft = new SftTokenizer(Tokenizer("qwen3"), Template("qwen2.5-instruct", bos: null, eos: "<|im_end|>"));

        var (text, spans) = sft.RenderWithAssistantSpans(TwoTurns());

        Assert.Equal([Answer1 + "<|im_end|>", Answer2 + "<|im_end|>"], spans.Select(s => text[s]).ToArray());
    }
}
