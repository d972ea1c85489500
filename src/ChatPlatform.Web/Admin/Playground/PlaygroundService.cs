using System.Runtime.CompilerServices;
using ChatPlatform.Rag.Prompting;
using ChatPlatform.Rag.Retrieval;
using ChatPlatform.Web.Admin.Models;
using ChatPlatform.Web.Serving;
using ChatPlatform.Web.Widget;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatPlatform.Web.Admin.Playground;

/// <summary>
/// Asks one question of one model version for the side-by-side playground, with the widget's prompt (its system prompt,
/// retrieval and answer budget) or, with retrieval off, the bare question. Versions that are not served are leased
/// through <see cref="ServedModel.LeaseAsync"/>, which loads them into the loader's small cache; customers keep the served
/// version. Answers wait their turn in the same fair queue as customer requests.
/// </summary>
internal sealed class PlaygroundService(ServedModel served, ModelVersions versions, WidgetAssistant widget,
    IOptions<WidgetOptions> widgetOptions, IOptions<PlatformOptions> platform, IOptions<ServingOptions> serving)
{
    public const string NoModelKey = "none";

    /// <summary>Every registered version (active first), each base model they or the settings name, and "no model".</summary>
    public async Task<IReadOnlyList<PlaygroundChoice>> ChoicesAsync(CancellationToken ct = default)
    {
        var all = await versions.ListAsync(ct);
        var choices = all.OrderByDescending(v => v.IsActive)
            .Select(v => new PlaygroundChoice($"version:{v.Id}", v.IsActive ? $"{v.Name} (active)" : v.Name, ModelVersions.SpecOf(v))).ToList();
        var bases = new List<ModelSpec>();
        if (serving.Value.ConfiguredModel is { } configured) bases.Add(configured);
        var paths = new[] { platform.Value.BaseModel }.Concat(all.Select(v => v.BaseModelPath)).OfType<string>();
        foreach (var path in paths)
        {
            var spec = new ModelSpec(ServingOptions.FolderName(path), path, null);
            if (!bases.Any(b => b.SameWeightsAs(spec)) && Directory.Exists(path)) bases.Add(spec);
        }
        choices.AddRange(bases.Select(b => new PlaygroundChoice($"base:{b.BaseModelPath}:{b.AdapterPath}",
            b.VersionId is null && b == serving.Value.ConfiguredModel ? $"{b.Id} (Serving:Model)" : $"base model {b.Id}", b)));
        choices.Add(new PlaygroundChoice(NoModelKey, "no model (passages only)", null));
        return choices;
    }

    public async IAsyncEnumerable<PlaygroundUpdate> AskAsync(PlaygroundChoice choice, string question, bool retrieval, string client,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var settings = widgetOptions.Value;
        if (choice.Spec is null)
        {
            if (!retrieval)
            {
                yield return new PlaygroundUpdate(Model: choice.Label, Sources: [], Text: "No language model and no retrieval: nothing to answer with.");
                yield break;
            }
            var (text, citations) = await PassagesAnswer.BuildAsync(widget.Retriever, question, settings.TopK, ct);
            yield return new PlaygroundUpdate(Model: choice.Label, Sources: citations, Text: text);
            yield break;
        }

        using var lease = await served.LeaseAsync(choice.Spec, ct);
        var prompts = KnowledgeGrounding.Prompts(lease.Model, widget.AnswerTokens(lease.Model));
        var counter = new LocalModelTokenCounter(lease.Model.Tokenizer, lease.Model.Name);
        var overhead = prompts.Budget.PerMessageOverhead;
        var user = new ChatMessage(ChatRole.User, question);
        IReadOnlyList<ChatMessage> messages;
        IReadOnlyList<Citation> sources = [];
        if (retrieval)
        {
            var (grounding, _) = widget.For(lease);  // grounded exactly as the widget answers
            var (prompt, _) = await grounding.GroundAsync([user], ct);
            messages = prompt.Messages;
            sources = prompt.Sources.Select((s, i) => s.Citation with { Number = i + 1 }).ToList();
        }
        else messages = [new ChatMessage(ChatRole.System, settings.SystemPrompt), user];

        var system = counter.CountTokens(settings.SystemPrompt) + overhead;
        var budget = new PromptBreakdown(prompts.Budget.ContextWindow, system,
            PassageTokens: counter.CountTokens(messages[0].Text) + overhead - system,
            HistoryTokens: messages.Skip(1).SkipLast(1).Sum(m => counter.CountTokens(m.Text) + overhead),
            QuestionTokens: counter.CountTokens(question) + overhead,
            AnswerReserve: prompts.Budget.AnswerReserve);
        yield return new PlaygroundUpdate(Model: lease.Id, Sources: sources, Budget: budget);

        using var turn = await widget.Queue.EnterAsync("playground:" + client, ct);
        await foreach (var update in lease.Chat.GetStreamingResponseAsync(messages, new ChatOptions { MaxOutputTokens = budget.AnswerReserve }, ct))
            if (update.Text.Length > 0) yield return new PlaygroundUpdate(Text: update.Text);
    }
}
