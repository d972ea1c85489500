namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Python semantics for the Jinja operators: int and float arithmetic with Python's floor division and modulo,
/// "+" on strings and lists (never between a string and a number: that is a TypeError in Python, and a template
/// relying on it would fail under transformers too), "~" as string concatenation, and "in" on strings, lists
/// and dict keys.
/// </summary>
internal static class Operators
{
    public static object? Unary(string op, object? operand)
    {
        if (operand is Undefined undefined)
            throw new JinjaError(undefined.Hint);
        return (op, operand) switch
        {
            ("-", long l) => (object)checked(-l),
            ("-", double d) => -d,
            ("-", bool b) => b ? -1L : 0L,
            ("+", long or double) => operand,
            ("+", bool b) => b ? 1L : 0L,
            _ => throw new JinjaError($"bad operand type for unary {op}: '{Values.TypeName(operand)}'"),
        };
    }

    public static object? Binary(Interpreter interpreter, string op, object? left, object? right)
    {
        if (op == "~")
            return interpreter.CheckLength(Values.ToStr(left) + Values.ToStr(right));
        if (left is Undefined ul)
            throw new JinjaError(ul.Hint);
        if (right is Undefined ur)
            throw new JinjaError(ur.Hint);
        try
        {
            return op switch
            {
                "+" => Add(interpreter, left, right),
                "*" => Multiply(interpreter, left, right),
                _ when Values.IsNumber(left) && Values.IsNumber(right) => Arithmetic(op, left, right),
                _ => throw Unsupported(op, left, right),
            };
        }
        catch (OverflowException)
        {
            throw new JinjaError($"integer overflow in '{op}'");
        }
    }

    private static JinjaError Unsupported(string op, object? left, object? right) =>
        new($"unsupported operand type(s) for {op}: '{Values.TypeName(left)}' and '{Values.TypeName(right)}'");

    private static object? Add(Interpreter interpreter, object? left, object? right)
    {
        switch (left, right)
        {
            case (string a, string b):
                return interpreter.CheckLength(a + b);
            case (JinjaList a, JinjaList b) when a.IsTuple == b.IsTuple:
                interpreter.CheckListLength((long)a.Count + b.Count);
                return new JinjaList([.. a.Items, .. b.Items], a.IsTuple);
            default:
                if (Values.IsNumber(left) && Values.IsNumber(right))
                    return Arithmetic("+", left, right);
                throw left is string || right is string
                    ? new JinjaError($"cannot add '{Values.TypeName(left)}' and '{Values.TypeName(right)}' with '+' (use '~' to join text)")
                    : Unsupported("+", left, right);
        }
    }

    private static object? Multiply(Interpreter interpreter, object? left, object? right)
    {
        if (Values.IsNumber(left) && Values.IsNumber(right))
            return Arithmetic("*", left, right);
        var (sequence, count) = left is long or bool ? (right, left) : (left, right);
        if (count is not (long or bool))
            throw Unsupported("*", left, right);
        var n = Math.Max(0, Values.ToLong(count));
        switch (sequence)
        {
            case string s:
                if ((long)s.Length * n > interpreter.Limits.MaxOutputLength)
                    throw new JinjaError($"string of {(long)s.Length * n} characters exceeds the limit of {interpreter.Limits.MaxOutputLength}");
                return string.Concat(Enumerable.Repeat(s, (int)n));
            case JinjaList list:
                interpreter.CheckListLength(list.Count * n);
                return new JinjaList(Enumerable.Repeat(list.Items, (int)n).SelectMany(x => x).ToList(), list.IsTuple);
            default:
                throw Unsupported("*", left, right);
        }
    }

    private static object? Arithmetic(string op, object? left, object? right)
    {
        if (left is double || right is double || op == "/")
        {
            var a = Values.ToDouble(left);
            var b = Values.ToDouble(right);
            return op switch
            {
                "+" => (object)(a + b),
                "-" => a - b,
                "*" => a * b,
                "/" => b == 0 ? throw new JinjaError("division by zero") : a / b,
                "//" => b == 0 ? throw new JinjaError("float floor division by zero") : Math.Floor(a / b),
                "%" => b == 0 ? throw new JinjaError("float modulo") : PythonModulo(a, b),
                "**" => Math.Pow(a, b),
                _ => throw Unsupported(op, left, right),
            };
        }
        var x = Values.ToLong(left);
        var y = Values.ToLong(right);
        return op switch
        {
            "+" => (object)checked(x + y),
            "-" => checked(x - y),
            "*" => checked(x * y),
            "//" => y == 0 ? throw new JinjaError("integer division or modulo by zero") : FloorDivide(x, y),
            "%" => y == 0 ? throw new JinjaError("integer division or modulo by zero") : ((x % y) + y) % y,
            "**" => y < 0 ? (object)Math.Pow(x, y) : Power(x, y),
            _ => throw Unsupported(op, left, right),
        };
    }

    private static long FloorDivide(long x, long y)
    {
        var q = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? q - 1 : q;
    }

    private static double PythonModulo(double a, double b)
    {
        var r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    private static long Power(long x, long y)
    {
        switch (x)
        {
            case 0: return y == 0 ? 1 : 0;
            case 1: return 1;
            case -1: return y % 2 == 0 ? 1 : -1;
        }
        var result = 1L;
        for (var i = 0L; i < y; i++) // |x| >= 2 overflows within 63 steps
            result = checked(result * x);
        return result;
    }

    public static bool Compare(string op, object? left, object? right) => op switch
    {
        "==" => Values.Equal(left, right),
        "!=" => !Values.Equal(left, right),
        "<" => Values.Compare(left, right) < 0,
        "<=" => Values.Compare(left, right) <= 0,
        ">" => Values.Compare(left, right) > 0,
        ">=" => Values.Compare(left, right) >= 0,
        "in" => Contains(right, left),
        "not in" => !Contains(right, left),
        _ => throw new JinjaError($"unknown comparison '{op}'"),
    };

    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub
            ? s.Contains(sub, StringComparison.Ordinal)
            : throw new JinjaError($"'in <string>' requires string as left operand, not {Values.TypeName(item)}"),
        JinjaList list => list.Items.Any(x => Values.Equal(x, item)),
        JinjaDict dict => item is not (null or Undefined) && dict.TryGet(item, out _),
        JinjaNamespace ns => item is string key && ns.Attributes.ContainsKey(key),
        Undefined => false,
        _ => throw new JinjaError($"argument of type '{Values.TypeName(container)}' is not iterable"),
    };
}
