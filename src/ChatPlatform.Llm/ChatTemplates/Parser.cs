using System.Globalization;
using System.Runtime.CompilerServices;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Recursive-descent parser following Jinja2's grammar and operator precedence (jinja2/parser.py): conditional
/// expressions, or, and, not, comparisons, + -, ~, * / // %, **, unary minus, then postfix access, filters
/// and tests. Syntax errors carry line and column.
/// </summary>
internal sealed class Parser
{
    // Deeper nesting than any real template, far below what would exhaust the stack.
    private const int MaxNesting = 200;

    private static readonly HashSet<string> UnsupportedTags =
        ["include", "import", "from", "extends", "block", "with", "autoescape", "do", "trans", "pluralize", "debug"];

    private readonly SourceText _source;
    private readonly List<Token> _tokens;
    private int _pos;
    private int _depth;
    private int _loopDepth;
    private readonly Stack<Token> _openTags = new(); // for "'if' on line 2 is never closed"

    private Parser(SourceText source)
    {
        _source = source;
        _tokens = Lexer.Tokenize(source);
    }

    public static IReadOnlyList<Node> Parse(SourceText source)
    {
        var parser = new Parser(source);
        try
        {
            return parser.SubParse([], out _);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new ChatTemplateException("template is nested too deeply to parse");
        }
    }

    private Token Current => _tokens[_pos];

    private Token Peek(int offset = 1) => _tokens[Math.Min(_pos + offset, _tokens.Count - 1)];

    private int Line(Token token) => _source.LineOf(token.Position);

    private Token Advance() => _tokens[_pos++];

    private bool IsOp(string op) => Current.Is(TokenKind.Operator, op);

    private bool IsName(string name) => Current.Is(TokenKind.Name, name);

    private ChatTemplateException Error(Token at, string reason) => _source.Error(at.Position, reason);

    private Token Expect(TokenKind kind, string? value, string what)
    {
        if (Current.Kind != kind || (value is not null && Current.Value != value))
            throw Error(Current, $"expected {what}, got {Current.Describe()}");
        return Advance();
    }

    private void ExpectOp(string op) => Expect(TokenKind.Operator, op, $"'{op}'");

    private void ExpectBlockEnd() => Expect(TokenKind.BlockEnd, null, "'%}'");

    private string ExpectName(string what) => Expect(TokenKind.Name, null, what).Value;

    private void Enter()
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (++_depth > MaxNesting)
            throw Error(Current, $"template nests deeper than {MaxNesting} levels");
    }

    // ---- Statements ----

    /// <summary>Parses until one of <paramref name="endTags"/> opens a block; leaves the position on that tag's name.</summary>
    private List<Node> SubParse(string[] endTags, out string endTag)
    {
        Enter();
        var body = new List<Node>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Data:
                    Advance();
                    body.Add(new TextNode(Line(token), token.Value));
                    break;
                case TokenKind.VariableBegin:
                    Advance();
                    var value = ParseTuple(withCondexpr: true);
                    Expect(TokenKind.VariableEnd, null, "'}}'");
                    body.Add(new OutputNode(Line(token), value));
                    break;
                case TokenKind.BlockBegin:
                    Advance();
                    var name = Current;
                    if (name.Kind == TokenKind.Name && endTags.Contains(name.Value))
                    {
                        endTag = name.Value;
                        _depth--;
                        return body;
                    }
                    if (name.Kind == TokenKind.Name && endTags.Length > 0 && (name.Value.StartsWith("end", StringComparison.Ordinal) || name.Value is "else" or "elif"))
                        throw Error(name, $"unexpected '{name.Value}', expected {Expected(endTags)} to close '{_openTags.Peek().Value}' on line {Line(_openTags.Peek())}");
                    body.Add(ParseStatement());
                    break;
                case TokenKind.Eof:
                    if (endTags.Length > 0)
                        throw Error(_openTags.Peek(), $"'{_openTags.Peek().Value}' is never closed: expected {Expected(endTags)} before the end of the template");
                    endTag = "";
                    _depth--;
                    return body;
                default:
                    throw Error(token, $"unexpected {token.Describe()}");
            }
        }
    }

    private static string Expected(string[] endTags) => string.Join(" or ", endTags.Select(t => $"'{t}'"));

    private Node ParseStatement()
    {
        var token = Current;
        if (token.Kind != TokenKind.Name)
            throw Error(token, $"expected a tag name, got {token.Describe()}");
        _openTags.Push(token);
        var node = ParseStatement(token);
        _openTags.Pop();
        return node;
    }

    private Node ParseStatement(Token token)
    {
        var line = Line(token);
        Advance();
        switch (token.Value)
        {
            case "if": return ParseIf(line);
            case "for": return ParseFor(line);
            case "set": return ParseSet(line);
            case "macro": return ParseMacro(line);
            case "call": return ParseCallBlock(line);
            case "filter":
                var filters = ParseFilterChain();
                ExpectBlockEnd();
                return new FilterBlockNode(line, filters, ParseBodyUntil("endfilter"));
            case "generation":
                ExpectBlockEnd();
                return new GenerationNode(line, ParseBodyUntil("endgeneration"));
            case "break" or "continue":
                if (_loopDepth == 0)
                    throw Error(token, $"'{token.Value}' outside of a loop");
                ExpectBlockEnd();
                return token.Value == "break" ? new BreakNode(line) : new ContinueNode(line);
            default:
                if (UnsupportedTags.Contains(token.Value))
                    throw Error(token, $"tag '{token.Value}' is not supported");
                throw Error(token, token.Value.StartsWith("end", StringComparison.Ordinal) || token.Value is "else" or "elif"
                    ? $"unexpected '{token.Value}'"
                    : $"unknown tag '{token.Value}'");
        }
    }

    private List<Node> ParseBodyUntil(string endTag)
    {
        var body = SubParse([endTag], out _);
        Advance(); // the end tag's name
        ExpectBlockEnd();
        return body;
    }

    private IfNode ParseIf(int line)
    {
        var branches = new List<(Expr, IReadOnlyList<Node>)>();
        List<Node>? elseBody = null;
        var condition = ParseTuple(withCondexpr: false);
        while (true)
        {
            ExpectBlockEnd();
            var body = SubParse(["elif", "else", "endif"], out var end);
            branches.Add((condition, body));
            Advance();
            if (end == "elif")
            {
                condition = ParseTuple(withCondexpr: false);
                continue;
            }
            if (end == "else")
            {
                ExpectBlockEnd();
                elseBody = ParseBodyUntil("endif");
            }
            else
                ExpectBlockEnd();
            return new IfNode(line, branches, elseBody);
        }
    }

    private ForNode ParseFor(int line)
    {
        var target = ParseAssignTarget(allowNamespace: false);
        Expect(TokenKind.Name, "in", "'in'");
        var iterable = ParseTuple(withCondexpr: false, extraEnd: "recursive");
        Expr? filter = null;
        if (IsName("if"))
        {
            Advance();
            filter = ParseExpression();
        }
        if (IsName("recursive"))
            throw Error(Current, "recursive for loops are not supported");
        ExpectBlockEnd();
        _loopDepth++;
        var body = SubParse(["endfor", "else"], out var end);
        _loopDepth--;
        Advance();
        ExpectBlockEnd();
        var elseBody = end == "else" ? ParseBodyUntil("endfor") : null;
        return new ForNode(line, target, iterable, filter, body, elseBody);
    }

    private Node ParseSet(int line)
    {
        var target = ParseAssignTarget(allowNamespace: true);
        if (IsOp("="))
        {
            Advance();
            var value = ParseTuple(withCondexpr: true);
            ExpectBlockEnd();
            return new SetNode(line, target, value);
        }
        var filters = IsOp("|") ? ParseFilterChain() : [];
        ExpectBlockEnd();
        var body = ParseBodyUntil("endset");
        return new SetBlockNode(line, target, filters, body);
    }

    private MacroNode ParseMacro(int line)
    {
        var name = ExpectName("a macro name");
        var parameters = ParseParameters();
        ExpectBlockEnd();
        return new MacroNode(line, name, parameters, ParseBodyUntil("endmacro"));
    }

    private CallBlockNode ParseCallBlock(int line)
    {
        var callerParameters = IsOp("(") ? ParseParameters() : [];
        var start = Current;
        if (ParseExpression() is not CallExpr call)
            throw Error(start, "expected a macro call after 'call'");
        ExpectBlockEnd();
        return new CallBlockNode(line, call, callerParameters, ParseBodyUntil("endcall"));
    }

    private List<Parameter> ParseParameters()
    {
        ExpectOp("(");
        var parameters = new List<Parameter>();
        while (!IsOp(")"))
        {
            if (parameters.Count > 0)
                ExpectOp(",");
            if (IsOp(")"))
                break;
            var name = ExpectName("a parameter name");
            Expr? @default = null;
            if (IsOp("="))
            {
                Advance();
                @default = ParseExpression();
            }
            else if (parameters.Count > 0 && parameters[^1].Default is not null)
                throw Error(Current, "non-default parameter follows default parameter");
            parameters.Add(new Parameter(name, @default));
        }
        Advance();
        return parameters;
    }

    private Target ParseAssignTarget(bool allowNamespace)
    {
        if (allowNamespace && Current.Kind == TokenKind.Name && Peek().Is(TokenKind.Operator, "."))
        {
            var obj = Advance().Value;
            Advance();
            return new AttributeTarget(obj, ExpectName("an attribute name"));
        }
        var items = new List<Target>();
        var parenthesized = IsOp("(");
        if (parenthesized)
            Advance();
        do
        {
            if (items.Count > 0)
                Advance(); // ','
            if (IsOp("("))
                items.Add(ParseAssignTarget(allowNamespace: false));
            else if (Current.Kind == TokenKind.Name && !(items.Count > 0 && (IsName("in") || IsName("recursive"))))
                items.Add(new NameTarget(CheckAssignable(Advance())));
            else if (items.Count == 0)
                throw Error(Current, $"expected a variable name to assign to, got {Current.Describe()}");
        } while (IsOp(","));
        if (parenthesized)
            ExpectOp(")");
        return items.Count == 1 && !parenthesized ? items[0] : new TupleTarget(items);
    }

    private string CheckAssignable(Token name) =>
        name.Value is "true" or "false" or "none" or "True" or "False" or "None"
            ? throw Error(name, $"cannot assign to '{name.Value}'")
            : name.Value;

    // ---- Expressions ----

    /// <summary>Comma-separated expressions: a single one is itself, several (or a trailing comma) a tuple.</summary>
    private Expr ParseTuple(bool withCondexpr, string? extraEnd = null)
    {
        var start = Current;
        var items = new List<Expr>();
        var isTuple = false;
        while (true)
        {
            if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd or TokenKind.Eof || IsOp(")")
                || (extraEnd is not null && IsName(extraEnd)) || (withCondexpr == false && items.Count > 0 && IsName("if")))
                break;
            items.Add(withCondexpr ? ParseExpression() : ParseOr());
            if (!IsOp(","))
                break;
            Advance();
            isTuple = true;
        }
        if (items.Count == 0)
            throw Error(start, $"expected an expression, got {start.Describe()}");
        return isTuple ? new TupleExpr(Line(start), items) : items[0];
    }

    private Expr ParseExpression()
    {
        Enter();
        var expr = ParseOr();
        while (IsName("if"))
        {
            var token = Advance();
            var condition = ParseOr();
            Expr? otherwise = null;
            if (IsName("else"))
            {
                Advance();
                otherwise = ParseExpression();
            }
            expr = new ConditionalExpr(Line(token), condition, expr, otherwise);
        }
        _depth--;
        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (IsName("or"))
        {
            var token = Advance();
            left = new BinaryExpr(Line(token), "or", left, ParseAnd());
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (IsName("and"))
        {
            var token = Advance();
            left = new BinaryExpr(Line(token), "and", left, ParseNot());
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (!IsName("not"))
            return ParseCompare();
        Enter();
        var token = Advance();
        var operand = ParseNot();
        _depth--;
        return new UnaryExpr(Line(token), "not", operand);
    }

    private Expr ParseCompare()
    {
        var start = Current;
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            if (Current.Kind == TokenKind.Operator && Current.Value is "==" or "!=" or "<" or ">" or "<=" or ">=")
                rest.Add((Advance().Value, ParseMath1()));
            else if (IsName("in"))
            {
                Advance();
                rest.Add(("in", ParseMath1()));
            }
            else if (IsName("not") && Peek().Is(TokenKind.Name, "in"))
            {
                _pos += 2;
                rest.Add(("not in", ParseMath1()));
            }
            else
                break;
        }
        return rest.Count == 0 ? first : new CompareExpr(Line(start), first, rest);
    }

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (IsOp("+") || IsOp("-"))
        {
            var token = Advance();
            left = new BinaryExpr(Line(token), token.Value, left, ParseConcat());
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var left = ParseMath2();
        while (IsOp("~"))
        {
            var token = Advance();
            left = new BinaryExpr(Line(token), "~", left, ParseMath2());
        }
        return left;
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (Current.Kind == TokenKind.Operator && Current.Value is "*" or "/" or "//" or "%")
        {
            var token = Advance();
            left = new BinaryExpr(Line(token), token.Value, left, ParsePow());
        }
        return left;
    }

    private Expr ParsePow()
    {
        var left = ParseUnary(withFilter: true);
        while (IsOp("**"))
        {
            var token = Advance();
            left = new BinaryExpr(Line(token), "**", left, ParseUnary(withFilter: true));
        }
        return left;
    }

    // As in Jinja2, "-x|abs" is abs(-x) and "-2 ** 2" is 4: unary minus binds tighter than filters and "**".
    private Expr ParseUnary(bool withFilter)
    {
        Enter();
        Expr node;
        if (IsOp("-") || IsOp("+"))
        {
            var token = Advance();
            node = new UnaryExpr(Line(token), token.Value, ParseUnary(withFilter: false));
        }
        else
            node = ParsePrimary();
        node = ParsePostfix(node);
        if (withFilter)
            node = ParseFilterExpr(node);
        _depth--;
        return node;
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        var line = Line(token);
        switch (token.Kind)
        {
            case TokenKind.Name:
                Advance();
                return token.Value switch
                {
                    "true" or "True" => new LiteralExpr(line, true),
                    "false" or "False" => new LiteralExpr(line, false),
                    "none" or "None" => new LiteralExpr(line, null),
                    _ => new NameExpr(line, token.Value),
                };
            case TokenKind.String:
                var text = Advance().Value;
                while (Current.Kind == TokenKind.String) // adjacent literals concatenate, as in Python
                    text += Advance().Value;
                return new LiteralExpr(line, text);
            case TokenKind.Integer:
                Advance();
                return long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
                    ? new LiteralExpr(line, integer)
                    : throw Error(token, $"integer literal {token.Value} is too large");
            case TokenKind.Float:
                Advance();
                return new LiteralExpr(line, double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
            case TokenKind.Operator when token.Value == "(":
                Advance();
                if (IsOp(")"))
                {
                    Advance();
                    return new TupleExpr(line, []);
                }
                var inner = ParseTuple(withCondexpr: true);
                ExpectOp(")");
                return inner;
            case TokenKind.Operator when token.Value == "[":
                Advance();
                var items = new List<Expr>();
                while (!IsOp("]"))
                {
                    if (items.Count > 0)
                        ExpectOp(",");
                    if (IsOp("]"))
                        break;
                    items.Add(ParseExpression());
                }
                Advance();
                return new ListExpr(line, items);
            case TokenKind.Operator when token.Value == "{":
                Advance();
                var pairs = new List<(Expr, Expr)>();
                while (!IsOp("}"))
                {
                    if (pairs.Count > 0)
                        ExpectOp(",");
                    if (IsOp("}"))
                        break;
                    var key = ParseExpression();
                    ExpectOp(":");
                    pairs.Add((key, ParseExpression()));
                }
                Advance();
                return new DictExpr(line, pairs);
            default:
                throw Error(token, $"unexpected {token.Describe()}");
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (IsOp(".") || IsOp("["))
                node = ParseSubscript(node);
            else if (IsOp("("))
                node = new CallExpr(Line(Current), node, ParseArguments());
            else
                return node;
        }
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            if (IsOp("|"))
            {
                Advance();
                node = new FilterExpr(node.Line, node, ParseFilterCall());
            }
            else if (IsName("is"))
                node = ParseTest(node);
            else if (IsOp("("))
                node = new CallExpr(Line(Current), node, ParseArguments());
            else
                return node;
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        var token = Advance();
        var line = Line(token);
        if (token.Value == ".")
        {
            var attribute = Current;
            if (attribute.Kind == TokenKind.Name)
                return new AttributeExpr(line, node, Advance().Value);
            if (attribute.Kind == TokenKind.Integer)
                return new ItemExpr(line, node, ParsePrimary());
            throw Error(attribute, $"expected an attribute name after '.', got {attribute.Describe()}");
        }
        var indexes = new List<Expr>();
        while (!IsOp("]"))
        {
            if (indexes.Count > 0)
            {
                ExpectOp(",");
                if (IsOp("]"))
                    break;
            }
            indexes.Add(ParseSubscribed());
        }
        ExpectOp("]");
        if (indexes.Count == 0)
            throw Error(token, "expected an index inside '[]'");
        return new ItemExpr(line, node, indexes.Count == 1 ? indexes[0] : new TupleExpr(line, indexes));
    }

    private Expr ParseSubscribed()
    {
        var line = Line(Current);
        Expr? start = null;
        if (!IsOp(":"))
        {
            start = ParseExpression();
            if (!IsOp(":"))
                return start;
        }
        Advance();
        Expr? stop = IsOp("]") || IsOp(",") || IsOp(":") ? null : ParseExpression();
        Expr? step = null;
        if (IsOp(":"))
        {
            Advance();
            if (!IsOp("]") && !IsOp(","))
                step = ParseExpression();
        }
        return new SliceExpr(line, start, stop, step);
    }

    private List<Argument> ParseArguments()
    {
        ExpectOp("(");
        var arguments = new List<Argument>();
        while (!IsOp(")"))
        {
            if (arguments.Count > 0)
            {
                ExpectOp(",");
                if (IsOp(")"))
                    break;
            }
            if (IsOp("*") || IsOp("**"))
                throw Error(Current, $"'{Current.Value}' argument unpacking is not supported");
            if (Current.Kind == TokenKind.Name && Peek().Is(TokenKind.Operator, "="))
            {
                var name = Advance().Value;
                Advance();
                arguments.Add(new Argument(name, ParseExpression()));
            }
            else
            {
                if (arguments.Count > 0 && arguments[^1].Name is not null)
                    throw Error(Current, "positional argument follows keyword argument");
                arguments.Add(new Argument(null, ParseExpression()));
            }
        }
        Advance();
        return arguments;
    }

    private FilterCall ParseFilterCall()
    {
        var line = Line(Current);
        var name = ExpectName("a filter name");
        while (IsOp(".") && Peek().Kind == TokenKind.Name)
        {
            Advance();
            name += "." + Advance().Value;
        }
        return new FilterCall(line, name, IsOp("(") ? ParseArguments() : []);
    }

    private List<FilterCall> ParseFilterChain()
    {
        var filters = new List<FilterCall>();
        do
        {
            if (IsOp("|"))
                Advance();
            filters.Add(ParseFilterCall());
        } while (IsOp("|"));
        return filters;
    }

    private Expr ParseTest(Expr node)
    {
        var token = Advance(); // "is"
        var negated = false;
        if (IsName("not"))
        {
            Advance();
            negated = true;
        }
        var name = ExpectName("a test name after 'is'");
        while (IsOp(".") && Peek().Kind == TokenKind.Name)
        {
            Advance();
            name += "." + Advance().Value;
        }
        List<Argument> arguments = [];
        if (IsOp("("))
            arguments = ParseArguments();
        else if ((Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float || IsOp("[") || IsOp("{"))
                 && !(IsName("else") || IsName("or") || IsName("and")))
        {
            // Jinja2 allows one bare argument: "x is divisibleby 3", "x is sameas none".
            arguments = [new Argument(null, ParsePostfix(ParsePrimary()))];
        }
        return new TestExpr(Line(token), node, name, arguments, negated);
    }
}
