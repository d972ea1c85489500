namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Sandbox limits for rendering. Templates come with downloaded models, so a hostile or broken one must not
/// hang the server or exhaust memory; the defaults are far above what real chat templates need (a long
/// conversation takes a few thousand loop iterations and well under a megabyte of output).
/// </summary>
public sealed record ChatTemplateLimits
{
    public static readonly ChatTemplateLimits Default = new();

    /// <summary>Total iterations of all for loops in one render.</summary>
    public int MaxLoopIterations { get; init; } = 1_000_000;

    /// <summary>Total evaluated statements and expressions in one render: bounds the time of any template.</summary>
    public long MaxOperations { get; init; } = 50_000_000;

    /// <summary>Length of the output, of any captured block and of any string built by an operator or filter.</summary>
    public int MaxOutputLength { get; init; } = 16_000_000;

    /// <summary>Items in a list built by <c>range</c>, <c>*</c> or <c>+</c> (Jinja's sandbox caps range at 100000).</summary>
    public int MaxListLength { get; init; } = 100_000;

    /// <summary>Nested macro calls.</summary>
    public int MaxCallDepth { get; init; } = 64;
}

/// <summary>How a template is rendered: sandbox limits and the clock behind <c>strftime_now</c>.</summary>
public sealed record ChatTemplateOptions
{
    public static readonly ChatTemplateOptions Default = new();

    public ChatTemplateLimits Limits { get; init; } = ChatTemplateLimits.Default;

    /// <summary>Local time for <c>strftime_now</c> (Llama 3.x prints today's date); replaceable in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
