namespace ChatPlatform.Llm.Tokenization.PostProcessors;

/// <summary>
/// The "post_processor" step for a single sequence, as a template: special-token ids before and after the
/// encoded text. TemplateProcessing (Llama-3's &lt;|begin_of_text|&gt; $A, BERT's [CLS] $A [SEP]),
/// BertProcessing and RobertaProcessing all reduce to this; ByteLevel adds nothing to the ids. Applied only
/// when special tokens are requested.
/// </summary>
internal sealed class TemplatePostProcessor(IReadOnlyList<int> before, IReadOnlyList<int> after)
{
    public static readonly TemplatePostProcessor None = new([], []);

    public IReadOnlyList<int> Before { get; } = before;
    public IReadOnlyList<int> After { get; } = after;

    public int[] Apply(List<int> ids)
    {
        var result = new List<int>(Before.Count + ids.Count + After.Count);
        result.AddRange(Before);
        result.AddRange(ids);
        result.AddRange(After);
        return result.ToArray();
    }

    /// <summary>Applies <paramref name="next"/> around this one (a "Sequence" of post-processors).</summary>
    public TemplatePostProcessor Then(TemplatePostProcessor next) =>
        new([.. next.Before, .. Before], [.. After, .. next.After]);
}
