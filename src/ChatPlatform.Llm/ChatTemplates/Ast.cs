namespace ChatPlatform.Llm.ChatTemplates;

// The syntax tree: plain data, evaluated by Interpreter. Every node keeps its source line for error messages.

internal abstract record Node(int Line);

// ---- Statements ----

internal sealed record TextNode(int Line, string Text) : Node(Line);

internal sealed record OutputNode(int Line, Expr Value) : Node(Line);

internal sealed record IfNode(int Line, IReadOnlyList<(Expr Condition, IReadOnlyList<Node> Body)> Branches, IReadOnlyList<Node>? Else) : Node(Line);

/// <summary><c>{% for target in iterable if filter %}body{% else %}empty{% endfor %}</c>.</summary>
internal sealed record ForNode(int Line, Target Target, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node>? Else) : Node(Line);

internal sealed record SetNode(int Line, Target Target, Expr Value) : Node(Line);

/// <summary><c>{% set name %}...{% endset %}</c>, optionally piped through filters.</summary>
internal sealed record SetBlockNode(int Line, Target Target, IReadOnlyList<FilterCall> Filters, IReadOnlyList<Node> Body) : Node(Line);

internal sealed record MacroNode(int Line, string Name, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Node> Body) : Node(Line);

/// <summary><c>{% call(params) macro(args) %}body{% endcall %}</c>: the body becomes <c>caller</c> inside the macro.</summary>
internal sealed record CallBlockNode(int Line, CallExpr Call, IReadOnlyList<Parameter> CallerParameters, IReadOnlyList<Node> Body) : Node(Line);

internal sealed record FilterBlockNode(int Line, IReadOnlyList<FilterCall> Filters, IReadOnlyList<Node> Body) : Node(Line);

internal sealed record BreakNode(int Line) : Node(Line);

internal sealed record ContinueNode(int Line) : Node(Line);

/// <summary>
/// <c>{% generation %}</c> from transformers' AssistantTracker extension: marks assistant text for masks and
/// renders its body unchanged.
/// </summary>
internal sealed record GenerationNode(int Line, IReadOnlyList<Node> Body) : Node(Line);

internal sealed record Parameter(string Name, Expr? Default);

/// <summary>Assignment target: a name, <c>ns.attr</c>, or a tuple of names (<c>for k, v in ...</c>).</summary>
internal abstract record Target;

internal sealed record NameTarget(string Name) : Target;

internal sealed record AttributeTarget(string Object, string Attribute) : Target;

internal sealed record TupleTarget(IReadOnlyList<Target> Items) : Target;

// ---- Expressions ----

internal abstract record Expr(int Line) : Node(Line);

internal sealed record LiteralExpr(int Line, object? Value) : Expr(Line);

internal sealed record NameExpr(int Line, string Name) : Expr(Line);

internal sealed record ListExpr(int Line, IReadOnlyList<Expr> Items) : Expr(Line);

internal sealed record TupleExpr(int Line, IReadOnlyList<Expr> Items) : Expr(Line);

internal sealed record DictExpr(int Line, IReadOnlyList<(Expr Key, Expr Value)> Items) : Expr(Line);

internal sealed record AttributeExpr(int Line, Expr Object, string Name) : Expr(Line);

internal sealed record ItemExpr(int Line, Expr Object, Expr Index) : Expr(Line);

internal sealed record SliceExpr(int Line, Expr? Start, Expr? Stop, Expr? Step) : Expr(Line);

internal sealed record Argument(string? Name, Expr Value);

internal sealed record CallExpr(int Line, Expr Callee, IReadOnlyList<Argument> Arguments) : Expr(Line);

internal sealed record FilterCall(int Line, string Name, IReadOnlyList<Argument> Arguments);

internal sealed record FilterExpr(int Line, Expr Value, FilterCall Filter) : Expr(Line);

internal sealed record TestExpr(int Line, Expr Value, string Name, IReadOnlyList<Argument> Arguments, bool Negated) : Expr(Line);

internal sealed record UnaryExpr(int Line, string Operator, Expr Operand) : Expr(Line);

internal sealed record BinaryExpr(int Line, string Operator, Expr Left, Expr Right) : Expr(Line);

/// <summary><c>a &lt; b &lt;= c</c>: Python-style chained comparison.</summary>
internal sealed record CompareExpr(int Line, Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest) : Expr(Line);

internal sealed record ConditionalExpr(int Line, Expr Condition, Expr Then, Expr? Else) : Expr(Line);
