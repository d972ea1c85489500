using System.Diagnostics;
using ChatPlatform.Llm.ChatTemplates;

namespace ChatPlatform.Llm.Tests.ChatTemplates;

/// <summary>
/// The interpreter beyond what jinja_cases.json pins down: error messages and locations, the sandbox limits,
/// and the data boundary. (Rendering semantics are checked against jinja2 in JinjaConformanceTests.)
/// </summary>
public sealed class InterpreterTests
{
    private static string Render(string source, object? variables = null, ChatTemplateOptions? options = null) =>
        ChatTemplate.Parse(source, options).Render(variables as IReadOnlyDictionary<string, object?> ?? new Dictionary<string, object?>());

    private static ChatTemplateException Fails(string source, ChatTemplateOptions? options = null) =>
        Assert.Throws<ChatTemplateException>(() => Render(source, options: options));

    // ---- Whitespace: the transformers environment (trim_blocks + lstrip_blocks) ----

    [Fact]
    public void BlockTagsOnTheirOwnLinesLeaveNoBlankLines()
    {
        const string source = "{% for m in messages %}\n    {% if m.role == 'user' %}\nU: {{ m.content }}\n    {% endif %}\n{% endfor %}\nend";
        var rendered = ChatTemplate.Parse(source).Render([new("user", "a"), new("assistant", "b"), new("user", "c")], addGenerationPrompt: false);
        Assert.Equal("U: a\nU: c\nend", rendered);
    }

    [Fact]
    public void DashStripsWhitespaceIncludingNewlines()
    {
        Assert.Equal("ab", Render("a  \n\n  {{- 'b' }}"));
        Assert.Equal("[x]", Render("[\n  {%- if true -%}\n  x\n  {%- endif -%}\n  ]"));
    }

    // ---- Syntax errors name line and column ----

    [Theory]
    [InlineData("line one\n{% if x %}\nno end", 2, "'if' is never closed: expected 'elif' or 'else' or 'endif'")]
    [InlineData("a\nb\n{{ 1 + }}", 3, "unexpected '}}'")]
    [InlineData("{% for x in y %}\n{% endif %}", 2, "unexpected 'endif', expected 'endfor' or 'else' to close 'for' on line 1")]
    [InlineData("\n\n\n{% frobnicate %}", 4, "unknown tag 'frobnicate'")]
    [InlineData("{{ 'abc }}", 1, "unterminated string literal")]
    [InlineData("{{ x", 1, "never closed")]
    [InlineData("{# no end", 1, "missing end of comment tag")]
    [InlineData("x\n{% include 'other.jinja' %}", 2, "tag 'include' is not supported")]
    [InlineData("{% break %}", 1, "'break' outside of a loop")]
    [InlineData("{{ x | }}", 1, "expected a filter name")]
    [InlineData("{{ f(**kw) }}", 1, "argument unpacking is not supported")]
    public void SyntaxErrorsHaveLineAndColumn(string source, int line, string reason)
    {
        var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source));
        Assert.Equal(line, ex.Line);
        Assert.NotNull(ex.Column);
        Assert.Contains(reason, ex.Message);
        Assert.StartsWith($"chat template line {line}, column {ex.Column}: ", ex.Message);
    }

    [Fact]
    public void SyntaxErrorColumnPointsAtTheToken()
    {
        var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse("ok\n  {{ a b }}"));
        Assert.Equal((2, 8), (ex.Line, ex.Column));
    }

    // ---- Unsupported constructs fail clearly, at the line that uses them ----

    [Fact]
    public void UnsupportedFilterNamesFilterAndLine()
    {
        var ex = Fails("{% set d = {'a': 1} %}\n\n{{ d|xmlattr }}");
        Assert.Equal("chat template line 3: filter 'xmlattr' is not supported", ex.Message);
        Assert.Equal(3, ex.Line);
        Assert.False(ex.RaisedByTemplate);
    }

    [Fact]
    public void UnsupportedFilterInAnUntakenBranchDoesNotFail() =>
        Assert.Equal("ok", Render("{% if false %}{{ x|urlize }}{% endif %}ok"));

    [Theory]
    [InlineData("{{ 1 is prime }}", "test 'prime' is not supported")]
    [InlineData("{{ cycler('a') }}", "function 'cycler' is not supported")]
    [InlineData("{{ nothing() }}", "'nothing' is undefined")]
    [InlineData("{{ [1].append(2) }}", "list.append() is not allowed")]
    [InlineData("{{ {}.update({}) }}", "dict.update() is not allowed")]
    [InlineData("{% set x = {} %}{% set x.a = 1 %}", "only namespace() objects can be modified")]
    [InlineData("{{ missing + 'x' }}", "'missing' is undefined")]
    [InlineData("{{ 'a' + 1 }}", "cannot add 'str' and 'int'")]
    [InlineData("{{ missing|tojson }}", "Object of type Undefined is not JSON serializable")]
    [InlineData("{% for a, b in [[1, 2, 3]] %}{% endfor %}", "too many values to unpack")]
    [InlineData("{% for x in none %}{% endfor %}", "'NoneType' object is not iterable")]
    [InlineData("{% for x in [1] recursive %}{% endfor %}", "recursive for loops are not supported")]
    public void UnsupportedOrInvalidOperationsFailWithAClearMessage(string source, string reason)
    {
        var ex = Assert.Throws<ChatTemplateException>(() => Render(source));
        Assert.Contains(reason, ex.Message);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void RaiseExceptionKeepsTheTemplatesMessage()
    {
        var ex = Fails("a\n{{ raise_exception('Only user and assistant roles are supported!') }}");
        Assert.Equal("Only user and assistant roles are supported!", ex.Message);
        Assert.True(ex.RaisedByTemplate);
        Assert.Equal(2, ex.Line);
    }

    // ---- Undefined values ----

    [Fact]
    public void UndefinedValuesAreEmptyAndFalsy()
    {
        Assert.Equal("[] False 0 d", Render("[{{ nope }}] {{ nope is defined }} {{ nope|length }} {{ nope|default('d') }}"));
        Assert.Equal("[] no", Render("[{{ m.missing }}] {% if m.missing %}yes{% else %}no{% endif %}", new Dictionary<string, object?> { ["m"] = new Dictionary<string, object?>() }));
    }

    [Fact]
    public void AttributesOfUndefinedAreUndefinedRatherThanAnError() =>
        // Jinja2 raises here; this sandbox is lenient so "x.y.z is defined" style checks never crash.
        Assert.Equal("[] False", Render("[{{ nope.a.b }}] {{ nope.a['b'] is defined }}"));

    // ---- Sandbox: limits ----

    [Fact]
    public void NestedRangeLoopsHitTheIterationLimit()
    {
        var watch = Stopwatch.StartNew();
        var ex = Fails("{% for i in range(100000) %}\n{% for j in range(100000) %}{{ i * j }}{% endfor %}{% endfor %}",
            new ChatTemplateOptions { Limits = ChatTemplateLimits.Default with { MaxOutputLength = int.MaxValue } });
        Assert.Contains("limit of 1000000 loop iterations", ex.Message);
        Assert.Equal(2, ex.Line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void HugeRangesAreRefusedUpFront()
    {
        var ex = Fails("{{ range(10000000)|length }}");
        Assert.Contains("exceeds the limit of 100000", ex.Message);
    }

    [Fact]
    public void OutputIsLimited()
    {
        var options = new ChatTemplateOptions { Limits = ChatTemplateLimits.Default with { MaxOutputLength = 1000 } };
        Assert.Contains("output exceeds the limit of 1000 characters", Fails("{% for i in range(2000) %}x{% endfor %}", options).Message);
        Assert.Equal(new string('x', 1000), Render("{% for i in range(1000) %}x{% endfor %}", options: options));
    }

    [Fact]
    public void StringsCannotGrowWithoutBound()
    {
        // Doubling a string in a loop would reach gigabytes in 40 iterations without a length check.
        var ex = Fails("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}");
        Assert.Contains("exceeds the limit", ex.Message);
        Assert.Contains("exceeds the limit", Fails("{{ 'ab' * 100000000 }}").Message);
        Assert.Contains("exceeds the limit", Fails("{{ [1] * 100000000 }}").Message);
    }

    [Fact]
    public void RunawayMacroRecursionIsStopped()
    {
        var ex = Fails("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
        Assert.Contains("macro calls nest deeper than 64 levels", ex.Message);
    }

    [Fact]
    public void ExponentialMacroRecursionHitsTheOperationBudget()
    {
        var options = new ChatTemplateOptions { Limits = ChatTemplateLimits.Default with { MaxOperations = 200_000 } };
        var ex = Fails("{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}", options);
        Assert.Contains("limit of 200000 operations", ex.Message);
    }

    [Fact]
    public void DeeplyNestedExpressionsAreASyntaxErrorNotAStackOverflow()
    {
        var source = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";
        var ex = Assert.Throws<ChatTemplateException>(() => ChatTemplate.Parse(source));
        Assert.Contains("nest", ex.Message);
    }

    // ---- Sandbox: only the Jinja data model ----

    [Fact]
    public void DotNetMembersAreNotReachable()
    {
        var variables = new Dictionary<string, object?> { ["s"] = "text", ["xs"] = new[] { 1, 2 } };
        Assert.Equal("[][][][][]", Render("[{{ s.Length }}][{{ s.GetType }}][{{ xs.Count }}][{{ s.__class__ }}][{{ range.Method }}]", variables));
    }

    [Fact]
    public void ArbitraryObjectsAreRejectedAtTheBoundary()
    {
        var ex = Assert.Throws<ChatTemplateException>(() => Render("{{ x }}", new Dictionary<string, object?> { ["x"] = new Uri("http://example.com") }));
        Assert.Contains("variable 'x' has type Uri", ex.Message);
    }

    [Fact]
    public void ClrDataIsConverted()
    {
        var variables = new Dictionary<string, object?>
        {
            ["n"] = 3, ["f"] = 1.5f, ["b"] = true, ["list"] = new List<string> { "a", "b" },
            ["dict"] = new Dictionary<string, object?> { ["k"] = new[] { 1, 2 } },
            ["json"] = System.Text.Json.JsonDocument.Parse("""{"a": [1, 2.0, "x", null, true]}""").RootElement,
            ["node"] = System.Text.Json.Nodes.JsonNode.Parse("""{"z": {"y": 1}}"""),
        };
        Assert.Equal("4 1.5 True a,b [1, 2] {\"a\": [1, 2.0, \"x\", null, true]} 1",
            Render("{{ n + 1 }} {{ f }} {{ b }} {{ list|join(',') }} {{ dict.k }} {{ json|tojson }} {{ node.z.y }}", variables));
    }

    [Fact]
    public void MessagesExposeAdditionalProperties()
    {
        var template = ChatTemplate.Parse("{% for m in messages %}{{ m.role }}:{{ m.content }}:{{ m.name|default('-') }};{% endfor %}");
        var messages = new List<ChatMessage> { new("user", "hi"), new("tool", "42") { AdditionalProperties = new Dictionary<string, object?> { ["name"] = "calc" } } };
        Assert.Equal("user:hi:-;tool:42:calc;", template.Render(messages, addGenerationPrompt: false));
    }

    [Fact]
    public void RenderDefinesToolsAndDocumentsAsNoneLikeTransformers()
    {
        var template = ChatTemplate.Parse("{{ tools is defined }} {{ tools is none }} {{ documents is none }} {{ add_generation_prompt }}");
        Assert.Equal("True True True True", template.Render([], addGenerationPrompt: true));
    }

    [Fact]
    public void TemplatesAreReusableAcrossThreads()
    {
        var template = ChatTemplate.Parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}");
        var results = Enumerable.Range(1, 64).AsParallel()
            .Select(n => (n, template.Render(Enumerable.Range(0, n).Select(i => new ChatMessage("user", $"{i}")).ToList(), false)))
            .ToList();
        Assert.All(results, r => Assert.Equal(r.n.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Item2));
    }
}
