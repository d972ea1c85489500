using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatPlatform.Llm.ChatTemplates;

// The Jinja data model as the interpreter sees it. A value is one of: null (Python None), bool, long, double,
// string, Undefined, JinjaList (list or tuple), JinjaDict, JinjaNamespace, LoopInfo, JinjaFunction or
// JinjaMacro. Nothing else ever reaches a template: FromClr converts caller data at the boundary and rejects
// other .NET types, and attribute access only knows these types, so a template cannot reach .NET members.

/// <summary>A missing variable, attribute or item. Falsy, prints as "", iterates as empty (Jinja2's Undefined).</summary>
internal sealed class Undefined(string? hint = null)
{
    public static readonly Undefined Instance = new();

    /// <summary>What was missing, for error messages: "'foo' is undefined".</summary>
    public string Hint { get; } = hint ?? "value is undefined";
}

/// <summary>A Python list or tuple. Templates cannot mutate lists (transformers uses an immutable sandbox).</summary>
internal sealed class JinjaList(IReadOnlyList<object?> items, bool isTuple = false)
{
    public static readonly JinjaList Empty = new([]);

    public IReadOnlyList<object?> Items { get; } = items;

    public bool IsTuple { get; } = isTuple;

    public int Count => Items.Count;
}

/// <summary>A Python dict: insertion-ordered, keys compared with Python equality (1 == 1.0 == True).</summary>
internal sealed class JinjaDict
{
    public JinjaDict() => Items = new OrderedDictionary<object, object?>(KeyComparer.Instance);

    public OrderedDictionary<object, object?> Items { get; }

    public int Count => Items.Count;

    public bool TryGet(object? key, out object? value)
    {
        value = null;
        return key is not null && Items.TryGetValue(key, out value);
    }

    public void Set(object? key, object? value)
    {
        if (key is null or JinjaList { IsTuple: false } or JinjaDict or Undefined)
            throw new JinjaError(key is null ? "None is not supported as a dict key" : $"unhashable type: '{Values.TypeName(key)}'");
        Items[key] = value;
    }

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) => Values.Equal(x, y);

        public int GetHashCode(object obj) => obj switch
        {
            bool b => (b ? 1L : 0L).GetHashCode(),
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => ((long)d).GetHashCode(),
            string s => StringComparer.Ordinal.GetHashCode(s),
            JinjaList l => l.Items.Aggregate(17, (h, item) => h * 31 + (item is null ? 0 : GetHashCode(item))),
            _ => obj.GetHashCode(),
        };
    }
}

/// <summary><c>namespace(...)</c>: the one mutable object, so loops can carry state out (<c>{% set ns.x = 1 %}</c>).</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>Arguments of a call: positional first, then named.</summary>
internal sealed class Arguments(IReadOnlyList<object?> positional, IReadOnlyList<KeyValuePair<string, object?>> named)
{
    public static readonly Arguments None = new([], []);

    public IReadOnlyList<object?> Positional { get; } = positional;

    public IReadOnlyList<KeyValuePair<string, object?>> Named { get; } = named;

    /// <summary>The argument at <paramref name="position"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int position, string name, object? fallback = null)
    {
        if (position >= 0 && position < Positional.Count)
            return Positional[position];
        foreach (var (key, value) in Named)
            if (key == name)
                return value;
        return fallback;
    }

    public bool Has(int position, string name) => (position >= 0 && position < Positional.Count) || Named.Any(n => n.Key == name);

    /// <summary>Rejects arguments the callee does not take, as Python would.</summary>
    public Arguments Check(string callee, params string[] parameters)
    {
        if (Positional.Count > parameters.Length)
            throw new JinjaError($"{callee}() takes at most {parameters.Length} argument{(parameters.Length == 1 ? "" : "s")} ({Positional.Count} given)");
        foreach (var (key, _) in Named)
            if (Array.IndexOf(parameters, key) < 0)
                throw new JinjaError($"{callee}() got an unexpected keyword argument '{key}'");
        return this;
    }
}

/// <summary>A built-in function or a bound method (<c>range</c>, <c>'x'.strip</c>, <c>loop.cycle</c>).</summary>
internal sealed class JinjaFunction(string name, Func<Arguments, object?> invoke)
{
    public string Name { get; } = name;

    public object? Invoke(Arguments arguments) => invoke(arguments);
}

/// <summary>The <c>loop</c> variable inside a for loop.</summary>
internal sealed class LoopInfo(IReadOnlyList<object?> items, int index0, int depth0)
{
    public IReadOnlyList<object?> Items { get; } = items;

    public int Index0 { get; } = index0;

    public object? Get(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(Items.Count - Index0),
        "revindex0" => (long)(Items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == Items.Count - 1,
        "length" => (long)Items.Count,
        "depth" => (long)depth0 + 1,
        "depth0" => (long)depth0,
        "previtem" => Index0 > 0 ? Items[Index0 - 1] : new Undefined("there is no previous item"),
        "nextitem" => Index0 < Items.Count - 1 ? Items[Index0 + 1] : new Undefined("there is no next item"),
        "cycle" => new JinjaFunction("loop.cycle", args => args.Positional.Count == 0
            ? throw new JinjaError("loop.cycle() needs at least one argument")
            : args.Positional[Index0 % args.Positional.Count]),
        _ => new Undefined($"'loop' has no attribute '{name}'"),
    };
}

internal static class Values
{
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        Undefined => "Undefined",
        JinjaList { IsTuple: true } => "tuple",
        JinjaList => "list",
        JinjaDict => "dict",
        JinjaNamespace => "Namespace",
        LoopInfo => "LoopContext",
        JinjaFunction or JinjaMacro => "function",
        _ => value.GetType().Name,
    };

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static bool Truthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        JinjaList l => l.Count > 0,
        JinjaDict d => d.Count > 0,
        _ => true,
    };

    /// <summary>Python's <c>str()</c>, which is what <c>{{ value }}</c> prints.</summary>
    public static string ToStr(object? value) => value switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(value),
    };

    /// <summary>Python's <c>repr()</c>, used for items inside printed lists and dicts.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case null: return "None";
            case bool b: return b ? "True" : "False";
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case double d: return FormatFloat(d);
            case string s: return ReprString(s);
            case Undefined: return "Undefined";
            case JinjaList list:
                var items = string.Join(", ", list.Items.Select(Repr));
                return list.IsTuple ? (list.Count == 1 ? $"({items},)" : $"({items})") : $"[{items}]";
            case JinjaDict dict:
                return "{" + string.Join(", ", dict.Items.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}";
            case JinjaNamespace ns:
                return "<Namespace {" + string.Join(", ", ns.Attributes.Select(kv => ReprString(kv.Key) + ": " + Repr(kv.Value))) + "}>";
            case LoopInfo loop: return $"<LoopContext {loop.Index0 + 1}/{loop.Items.Count}>";
            case JinjaFunction f: return $"<built-in function {f.Name}>";
            case JinjaMacro m: return $"<Macro '{m.Name}'>";
            default: return value.ToString() ?? "";
        }
    }

    private static string ReprString(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2).Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ' or '\x7f': sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"); break;
                default:
                    if (c == quote)
                        sb.Append('\\');
                    sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }

    /// <summary>
    /// Python's float repr: the shortest round-tripping digits, positional for exponents in [-4, 16), else
    /// scientific with a two-digit exponent ("1e+16", "1e-05"); always a ".0" when integral ("5.0").
    /// </summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";
        // "R" gives the shortest round-trip digits (as Python does); only the layout differs, so re-layout them.
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        if (negative)
            r = r[1..];
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.');
        var intPart = dot < 0 ? r : r[..dot];
        var fracPart = dot < 0 ? "" : r[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var pointPosition = intPart.TrimStart('0').Length + exponent; // digits before the decimal point
        if (intPart.TrimStart('0').Length == 0)
            pointPosition = exponent - (fracPart.Length - fracPart.TrimStart('0').Length);
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
            digits = "0";
        var decimalExponent = pointPosition - 1;
        string body;
        if (decimalExponent is >= -4 and < 16)
        {
            if (pointPosition <= 0)
                body = "0." + new string('0', -pointPosition) + digits;
            else if (pointPosition >= digits.Length)
                body = digits + new string('0', pointPosition - digits.Length) + ".0";
            else
                body = digits[..pointPosition] + "." + digits[pointPosition..];
        }
        else
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            body = mantissa + "e" + (decimalExponent < 0 ? "-" : "+") + Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return negative ? "-" + body : body;
    }

    public static bool Equal(object? a, object? b)
    {
        switch (a)
        {
            case null: return b is null;
            case Undefined: return b is Undefined;
            case string sa: return b is string sb && sa == sb;
            case bool or long or double when IsNumber(b):
                return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
            case JinjaList la:
                return b is JinjaList lb && la.IsTuple == lb.IsTuple && la.Count == lb.Count
                    && la.Items.Zip(lb.Items).All(p => Equal(p.First, p.Second));
            case JinjaDict da:
                return b is JinjaDict db && da.Count == db.Count
                    && da.Items.All(kv => db.TryGet(kv.Key, out var other) && Equal(kv.Value, other));
            default: return ReferenceEquals(a, b);
        }
    }

    /// <summary>Python ordering for &lt; &gt; and sort: numbers, strings (by code point) and lists element-wise.</summary>
    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToLong(a).CompareTo(ToLong(b));
        if (a is string sa && b is string sb)
            return string.CompareOrdinal(sa, sb);
        if (a is JinjaList la && b is JinjaList lb && la.IsTuple == lb.IsTuple)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
                if (!Equal(la.Items[i], lb.Items[i]))
                    return Compare(la.Items[i], lb.Items[i]);
            return la.Count.CompareTo(lb.Count);
        }
        if (a is Undefined u)
            throw new JinjaError(u.Hint);
        if (b is Undefined ub)
            throw new JinjaError(ub.Hint);
        throw new JinjaError($"'<' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static long ToLong(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => (long)d,
        _ => throw new JinjaError($"expected an integer, got '{TypeName(value)}'"),
    };

    public static double ToDouble(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        long l => l,
        double d => d,
        _ => throw new JinjaError($"expected a number, got '{TypeName(value)}'"),
    };

    /// <summary>Python iteration: lists and tuples by item, dicts by key, strings by character, Undefined as empty.</summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        JinjaList list => list.Items,
        JinjaDict dict => dict.Items.Keys.Cast<object?>().ToList(),
        string s => Strings.CodePoints(s),
        Undefined => [],
        _ => throw new JinjaError($"'{TypeName(value)}' object is not iterable"),
    };

    public static int Length(object? value) => value switch
    {
        string s => Strings.Length(s),
        JinjaList list => list.Count,
        JinjaDict dict => dict.Count,
        Undefined => 0,
        JinjaNamespace ns => ns.Attributes.Count,
        _ => throw new JinjaError($"object of type '{TypeName(value)}' has no len()"),
    };

    public static JinjaList Tuple(params object?[] items) => new(items, isTuple: true);

    /// <summary>
    /// Converts caller data (the <c>extra</c> variables, messages) into the Jinja data model. Only data types are
    /// accepted (strings, numbers, booleans, null, dictionaries, sequences, System.Text.Json values) so a template
    /// never sees a .NET object it could call into.
    /// </summary>
    public static object? FromClr(object? value, string path, int depth = 0)
    {
        if (depth > 64)
            throw new ChatTemplateException($"variable '{path}' is nested more than 64 levels deep (is it cyclic?)");
        switch (value)
        {
            case null: return null;
            case string or bool or long or double or Undefined or JinjaList or JinjaDict or JinjaNamespace or JinjaFunction: return value;
            case int or short or sbyte or byte or ushort or uint: return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong u: return u <= long.MaxValue ? (long)u : (double)u;
            case float or decimal: return Convert.ToDouble(value, CultureInfo.InvariantCulture);
            case char c: return c.ToString();
            case Enum e: return e.ToString();
            case ChatMessage message: return FromMessage(message, path, depth);
            case JsonElement element: return FromJson(element, path, depth);
            case JsonNode node: return FromJson(JsonSerializer.SerializeToElement(node), path, depth);
            case IDictionary dictionary:
                var dict = new JinjaDict();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = FromClr(entry.Key, path, depth + 1);
                    dict.Set(key, FromClr(entry.Value, $"{path}.{entry.Key}", depth + 1));
                }
                return dict;
            case IEnumerable sequence:
                var items = new List<object?>();
                var index = 0;
                foreach (var item in sequence)
                    items.Add(FromClr(item, $"{path}[{index++}]", depth + 1));
                return new JinjaList(items);
            default:
                throw new ChatTemplateException(
                    $"variable '{path}' has type {value.GetType().Name}, which templates cannot use; pass strings, numbers, booleans, lists, dictionaries or JSON values");
        }
    }

    private static JinjaDict FromMessage(ChatMessage message, string path, int depth)
    {
        var dict = new JinjaDict();
        dict.Set("role", message.Role);
        dict.Set("content", message.Content);
        if (message.AdditionalProperties is { } extra)
            foreach (var (key, value) in extra)
                dict.Set(key, FromClr(value, $"{path}.{key}", depth + 1));
        return dict;
    }

    private static object? FromJson(JsonElement element, string path, int depth)
    {
        if (depth > 64)
            throw new ChatTemplateException($"variable '{path}' is nested more than 64 levels deep");
        switch (element.ValueKind)
        {
            case JsonValueKind.String: return element.GetString();
            case JsonValueKind.Number: return element.TryGetInt64(out var l) ? l : (object)element.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Array:
                return new JinjaList(element.EnumerateArray().Select((item, i) => FromJson(item, $"{path}[{i}]", depth + 1)).ToList());
            case JsonValueKind.Object:
                var dict = new JinjaDict();
                foreach (var property in element.EnumerateObject())
                    dict.Set(property.Name, FromJson(property.Value, $"{path}.{property.Name}", depth + 1));
                return dict;
            default: return null;
        }
    }
}
