using System.Runtime.CompilerServices;
using System.Text;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>A variable scope. Jinja2 gives each loop iteration and macro call its own; if-blocks share their parent's.</summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
            if (scope._variables.TryGetValue(name, out value))
                return true;
        value = null;
        return false;
    }

    public void Set(string name, object? value) => _variables[name] = value;
}

/// <summary>A macro defined by <c>{% macro %}</c>, closed over the scope it was defined in.</summary>
internal sealed class JinjaMacro(Interpreter interpreter, MacroNode node, Scope closure)
{
    public string Name => node.Name;

    public object? Invoke(Arguments arguments, JinjaFunction? caller) => interpreter.InvokeMacro(node, closure, arguments, caller);
}

/// <summary>
/// Tree-walking evaluator with Jinja2/Python semantics. One instance renders once: it owns the output buffer,
/// the scopes and the sandbox counters (operations, loop iterations, call depth, output size).
/// </summary>
internal sealed class Interpreter
{
    private enum Flow { Normal, Break, Continue }

    private readonly ChatTemplateLimits _limits;
    private StringBuilder _output = new();
    private Scope _scope;
    private long _operations;
    private long _iterations;
    private int _callDepth;

    public Interpreter(ChatTemplateOptions options, IReadOnlyDictionary<string, object?> variables)
    {
        _limits = options.Limits;
        var globals = new Scope(null);
        foreach (var (name, function) in Globals.Create(this, options.TimeProvider))
            globals.Set(name, function);
        var context = new Scope(globals);
        foreach (var (name, value) in variables)
            context.Set(name, value);
        _scope = new Scope(context);
    }

    public ChatTemplateLimits Limits => _limits;

    public string Render(IReadOnlyList<Node> body)
    {
        try
        {
            Execute(body);
            return _output.ToString();
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ChatTemplateException("template recursion is too deep");
        }
    }

    // ---- Sandbox accounting ----

    private void Tick()
    {
        if (++_operations > _limits.MaxOperations)
            throw new JinjaError($"template exceeded the limit of {_limits.MaxOperations} operations");
    }

    /// <summary>Rejects strings longer than the output limit, so doubling a string in a loop cannot exhaust memory.</summary>
    public string CheckLength(string s) => s.Length > _limits.MaxOutputLength
        ? throw new JinjaError($"string of {s.Length} characters exceeds the limit of {_limits.MaxOutputLength}")
        : s;

    public void CheckListLength(long count)
    {
        if (count > _limits.MaxListLength)
            throw new JinjaError($"list of {count} items exceeds the limit of {_limits.MaxListLength}");
    }

    private void Write(string text)
    {
        _output.Append(text);
        if (_output.Length > _limits.MaxOutputLength)
            throw new JinjaError($"output exceeds the limit of {_limits.MaxOutputLength} characters");
    }

    private string Capture(IReadOnlyList<Node> body, Scope scope)
    {
        var (savedOutput, savedScope) = (_output, _scope);
        _output = new StringBuilder();
        _scope = scope;
        try
        {
            Execute(body);
            return _output.ToString();
        }
        finally
        {
            (_output, _scope) = (savedOutput, savedScope);
        }
    }

    // ---- Statements ----

    private Flow Execute(IReadOnlyList<Node> body)
    {
        foreach (var node in body)
        {
            var flow = Execute(node);
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    private Flow Execute(Node node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            Tick();
            switch (node)
            {
                case TextNode text:
                    Write(text.Text);
                    return Flow.Normal;
                case OutputNode output:
                    Write(Values.ToStr(Evaluate(output.Value)));
                    return Flow.Normal;
                case IfNode @if:
                    foreach (var (condition, branch) in @if.Branches)
                        if (Values.Truthy(Evaluate(condition)))
                            return Execute(branch);
                    return @if.Else is null ? Flow.Normal : Execute(@if.Else);
                case ForNode @for:
                    ExecuteFor(@for);
                    return Flow.Normal;
                case SetNode set:
                    Assign(set.Target, Evaluate(set.Value), _scope);
                    return Flow.Normal;
                case SetBlockNode setBlock:
                    object? captured = Capture(setBlock.Body, _scope);
                    foreach (var filter in setBlock.Filters)
                        captured = ApplyFilter(filter, captured);
                    Assign(setBlock.Target, captured, _scope);
                    return Flow.Normal;
                case MacroNode macro:
                    _scope.Set(macro.Name, new JinjaMacro(this, macro, _scope));
                    return Flow.Normal;
                case CallBlockNode callBlock:
                    ExecuteCallBlock(callBlock);
                    return Flow.Normal;
                case FilterBlockNode filterBlock:
                    object? filtered = Capture(filterBlock.Body, _scope);
                    foreach (var filter in filterBlock.Filters)
                        filtered = ApplyFilter(filter, filtered);
                    Write(Values.ToStr(filtered));
                    return Flow.Normal;
                case GenerationNode generation:
                    return Execute(generation.Body);
                case BreakNode:
                    return Flow.Break;
                case ContinueNode:
                    return Flow.Continue;
                default:
                    throw new JinjaError($"cannot execute {node.GetType().Name}");
            }
        }
        catch (JinjaError e)
        {
            throw new ChatTemplateException(e.Message, node.Line);
        }
    }

    private void ExecuteFor(ForNode node)
    {
        var source = Evaluate(node.Iterable);
        var outer = _scope;
        List<object?> items;
        if (node.Filter is null)
            items = [.. Values.Iterate(source)];
        else
        {
            // Jinja applies the loop filter first, so loop.length and loop.last count only the kept items.
            items = [];
            foreach (var item in Values.Iterate(source))
            {
                CountIteration();
                var probe = new Scope(outer);
                Assign(node.Target, item, probe);
                _scope = probe;
                try
                {
                    if (Values.Truthy(Evaluate(node.Filter)))
                        items.Add(item);
                }
                finally
                {
                    _scope = outer;
                }
            }
        }
        if (items.Count == 0)
        {
            if (node.Else is not null)
                Execute(node.Else);
            return;
        }
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                CountIteration();
                var iteration = new Scope(outer);
                Assign(node.Target, items[i], iteration);
                // loop.depth counts recursive loop() calls, which are not supported, so it is always 1.
                iteration.Set("loop", new LoopInfo(items, i, depth0: 0));
                _scope = iteration;
                if (Execute(node.Body) == Flow.Break)
                    break;
            }
        }
        finally
        {
            _scope = outer;
        }
    }

    private void CountIteration()
    {
        if (++_iterations > _limits.MaxLoopIterations)
            throw new JinjaError($"template exceeded the limit of {_limits.MaxLoopIterations} loop iterations");
    }

    private void Assign(Target target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameTarget name:
                scope.Set(name.Name, value);
                break;
            case AttributeTarget attribute:
                if (!scope.TryGet(attribute.Object, out var obj) || obj is not JinjaNamespace ns)
                    throw new JinjaError($"cannot assign attribute '{attribute.Attribute}' on '{attribute.Object}': only namespace() objects can be modified");
                ns.Attributes[attribute.Attribute] = value;
                break;
            case TupleTarget tuple:
                var items = Values.Iterate(value);
                if (items.Count != tuple.Items.Count)
                    throw new JinjaError(items.Count > tuple.Items.Count
                        ? $"too many values to unpack (expected {tuple.Items.Count})"
                        : $"not enough values to unpack (expected {tuple.Items.Count}, got {items.Count})");
                for (var i = 0; i < items.Count; i++)
                    Assign(tuple.Items[i], items[i], scope);
                break;
        }
    }

    private void ExecuteCallBlock(CallBlockNode node)
    {
        var callee = Evaluate(node.Call.Callee);
        if (callee is not JinjaMacro macro)
            throw new JinjaError($"'{{% call %}}' needs a macro, got '{Values.TypeName(callee)}'");
        var callSite = _scope;
        var caller = new JinjaFunction("caller", args =>
        {
            var scope = new Scope(callSite);
            BindParameters("caller", node.CallerParameters, args, scope);
            return Capture(node.Body, scope);
        });
        Write(Values.ToStr(macro.Invoke(EvaluateArguments(node.Call.Arguments), caller)));
    }

    public object? InvokeMacro(MacroNode node, Scope closure, Arguments arguments, JinjaFunction? caller)
    {
        if (++_callDepth > _limits.MaxCallDepth)
            throw new JinjaError($"macro calls nest deeper than {_limits.MaxCallDepth} levels (runaway recursion in '{node.Name}'?)");
        try
        {
            var scope = new Scope(closure);
            if (caller is not null)
                scope.Set("caller", caller);
            var saved = _scope;
            _scope = scope;
            try
            {
                BindParameters(node.Name, node.Parameters, arguments, scope);
            }
            finally
            {
                _scope = saved;
            }
            return Capture(node.Body, scope);
        }
        finally
        {
            _callDepth--;
        }
    }

    private void BindParameters(string name, IReadOnlyList<Parameter> parameters, Arguments arguments, Scope scope)
    {
        var extraPositional = new List<object?>();
        for (var i = 0; i < arguments.Positional.Count; i++)
        {
            if (i < parameters.Count)
                scope.Set(parameters[i].Name, arguments.Positional[i]);
            else
                extraPositional.Add(arguments.Positional[i]);
        }
        var extraNamed = new JinjaDict();
        foreach (var (key, value) in arguments.Named)
        {
            var index = parameters.Select(p => p.Name).ToList().IndexOf(key);
            if (index < 0)
                extraNamed.Set(key, value);
            else if (index < arguments.Positional.Count)
                throw new JinjaError($"macro '{name}' got multiple values for argument '{key}'");
            else
                scope.Set(key, value);
        }
        // Defaults are evaluated at call time, in the macro's scope, as in Jinja2.
        for (var i = arguments.Positional.Count; i < parameters.Count; i++)
        {
            if (arguments.Named.Any(n => n.Key == parameters[i].Name))
                continue;
            scope.Set(parameters[i].Name, parameters[i].Default is { } @default
                ? Evaluate(@default)
                : new Undefined($"parameter '{parameters[i].Name}' of macro '{name}' was not given"));
        }
        scope.Set("varargs", Values.Tuple([.. extraPositional]));
        scope.Set("kwargs", extraNamed);
    }

    // ---- Expressions ----

    public object? Evaluate(Expr expr)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            Tick();
            return EvaluateCore(expr);
        }
        catch (JinjaError e)
        {
            throw new ChatTemplateException(e.Message, expr.Line);
        }
        catch (TemplateRaisedError e)
        {
            throw new ChatTemplateException(e.Message, expr.Line, raisedByTemplate: true);
        }
    }

    private object? EvaluateCore(Expr expr)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return _scope.TryGet(name.Name, out var value) ? value : new Undefined($"'{name.Name}' is undefined");
            case ListExpr list:
                return new JinjaList(list.Items.Select(Evaluate).ToList());
            case TupleExpr tuple:
                return new JinjaList(tuple.Items.Select(Evaluate).ToList(), isTuple: true);
            case DictExpr dict:
                var result = new JinjaDict();
                foreach (var (key, item) in dict.Items)
                    result.Set(Evaluate(key), Evaluate(item));
                return result;
            case AttributeExpr attribute:
                return Methods.GetAttribute(this, Evaluate(attribute.Object), attribute.Name);
            case ItemExpr { Index: SliceExpr slice } item:
                return Slice(Evaluate(item.Object), slice);
            case ItemExpr item:
                return Methods.GetItem(this, Evaluate(item.Object), Evaluate(item.Index));
            case CallExpr call:
                return Call(Evaluate(call.Callee), EvaluateArguments(call.Arguments), call.Callee);
            case FilterExpr filter:
                return ApplyFilter(filter.Filter, Evaluate(filter.Value));
            case TestExpr test:
                return JinjaTests.Apply(this, test.Name, Evaluate(test.Value), EvaluateArguments(test.Arguments)) != test.Negated;
            case UnaryExpr unary:
                return unary.Operator == "not" ? !Values.Truthy(Evaluate(unary.Operand)) : Operators.Unary(unary.Operator, Evaluate(unary.Operand));
            case BinaryExpr { Operator: "and" } and:
                var left = Evaluate(and.Left);
                return Values.Truthy(left) ? Evaluate(and.Right) : left;
            case BinaryExpr { Operator: "or" } or:
                var first = Evaluate(or.Left);
                return Values.Truthy(first) ? first : Evaluate(or.Right);
            case BinaryExpr binary:
                return Operators.Binary(this, binary.Operator, Evaluate(binary.Left), Evaluate(binary.Right));
            case CompareExpr compare:
                var current = Evaluate(compare.First);
                foreach (var (op, operandExpr) in compare.Rest)
                {
                    var operand = Evaluate(operandExpr);
                    if (!Operators.Compare(op, current, operand))
                        return false;
                    current = operand;
                }
                return true;
            case ConditionalExpr conditional:
                return Values.Truthy(Evaluate(conditional.Condition))
                    ? Evaluate(conditional.Then)
                    : conditional.Else is null ? new Undefined("the inline if had no else") : Evaluate(conditional.Else);
            case SliceExpr:
                throw new JinjaError("a slice is only valid inside []");
            default:
                throw new JinjaError($"cannot evaluate {expr.GetType().Name}");
        }
    }

    public Arguments EvaluateArguments(IReadOnlyList<Argument> arguments)
    {
        if (arguments.Count == 0)
            return Arguments.None;
        var positional = new List<object?>();
        var named = new List<KeyValuePair<string, object?>>();
        foreach (var argument in arguments)
        {
            if (argument.Name is null)
                positional.Add(Evaluate(argument.Value));
            else
                named.Add(new(argument.Name, Evaluate(argument.Value)));
        }
        return new Arguments(positional, named);
    }

    public object? Call(object? callee, Arguments arguments, Expr? calleeExpr = null) => callee switch
    {
        JinjaFunction function => function.Invoke(arguments),
        JinjaMacro macro => macro.Invoke(arguments, caller: null),
        Undefined undefined => throw new JinjaError(calleeExpr is NameExpr name && Globals.Unsupported.Contains(name.Name)
            ? $"function '{name.Name}' is not supported"
            : undefined.Hint),
        _ => throw new JinjaError($"'{Values.TypeName(callee)}' object is not callable"),
    };

    private object? ApplyFilter(FilterCall filter, object? value)
    {
        var arguments = EvaluateArguments(filter.Arguments);
        try
        {
            return Filters.Apply(this, filter.Name, value, arguments);
        }
        catch (JinjaError e)
        {
            throw new ChatTemplateException(e.Message, filter.Line);
        }
    }

    private object? Slice(object? value, SliceExpr slice)
    {
        long? Bound(Expr? e)
        {
            if (e is null)
                return null;
            var bound = Evaluate(e);
            return bound switch
            {
                null => null,
                long or bool => Values.ToLong(bound),
                _ => throw new JinjaError($"slice indices must be integers or None, not '{Values.TypeName(bound)}'"),
            };
        }
        var (start, stop, step) = (Bound(slice.Start), Bound(slice.Stop), Bound(slice.Step));
        switch (value)
        {
            case string s:
                return Strings.Slice(s, start, stop, step);
            case JinjaList list:
                return new JinjaList(Strings.SliceIndices(list.Count, start, stop, step).Select(i => list.Items[i]).ToList(), list.IsTuple);
            case Undefined:
                return value;
            default:
                throw new JinjaError($"'{Values.TypeName(value)}' object is not subscriptable");
        }
    }
}
