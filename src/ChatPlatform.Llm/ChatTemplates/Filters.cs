using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Jinja's built-in filters, with Jinja2's argument names and defaults (<c>unique</c> and <c>sort</c> ignore case
/// unless told otherwise) and transformers' <c>tojson</c>. Filters Jinja has but chat templates do not use raise
/// "filter 'x' is not supported" when reached.
/// </summary>
internal static partial class Filters
{
    private static readonly HashSet<string> Names =
    [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first",
        "float", "forceescape", "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map",
        "max", "min", "pprint", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr",
        "sort", "string", "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
    ];

    public static bool Exists(string name) => Names.Contains(name);

    public static object? Apply(Interpreter interpreter, string name, object? value, Arguments args)
    {
        switch (name)
        {
            case "abs":
                args.Check(name);
                return value switch
                {
                    long l => (object)checked(Math.Abs(l)),
                    double d => Math.Abs(d),
                    bool b => b ? 1L : 0L,
                    _ => throw new JinjaError($"bad operand type for abs(): '{Values.TypeName(value)}'"),
                };
            case "attr":
                // attr() reads Python attributes only, so on a dict it finds methods, never keys.
                var attributeName = Values.ToStr(args.Check(name, "name").Get(0, "name"));
                return value is JinjaDict dictValue
                    ? Methods.GetDictMethod(dictValue, attributeName) ?? (object)new Undefined($"'dict object' has no attribute '{attributeName}'")
                    : Methods.GetAttribute(interpreter, value, attributeName);
            case "batch":
                return Batch(value, args.Check(name, "linecount", "fill_with"));
            case "capitalize":
                return Strings.Capitalize(Values.ToStr(value));
            case "center":
                var width = Values.ToLong(args.Check(name, "width").Get(0, "width", 80L));
                var text = Values.ToStr(value);
                if (width > interpreter.Limits.MaxOutputLength)
                    throw new JinjaError($"width {width} exceeds the limit of {interpreter.Limits.MaxOutputLength}");
                var pad = (int)Math.Max(0, width - text.Length);
                var left = pad / 2 + (pad & (int)width & 1); // Python's str.center puts the odd space on the left when width is odd
                return new string(' ', left) + text + new string(' ', pad - left);
            case "count" or "length":
                args.Check(name);
                return (long)Values.Length(value);
            case "d" or "default":
                args.Check(name, "default_value", "boolean");
                var useDefault = value is Undefined || (Values.Truthy(args.Get(1, "boolean", false)) && !Values.Truthy(value));
                return useDefault ? args.Get(0, "default_value", "") : value;
            case "dictsort":
                return DictSort(value, args.Check(name, "case_sensitive", "by", "reverse"));
            case "e" or "escape" or "forceescape":
                return Escape(Values.ToStr(value));
            case "first":
                args.Check(name);
                var items = Values.Iterate(value);
                return items.Count > 0 ? items[0] : new Undefined("first() of an empty sequence");
            case "last":
                args.Check(name);
                var all = Values.Iterate(value);
                return all.Count > 0 ? all[^1] : new Undefined("last() of an empty sequence");
            case "float":
                return ToFloat(value, args.Check(name, "default").Get(0, "default", 0.0));
            case "format":
                return interpreter.CheckLength(PrintfFormat(Values.ToStr(value), args));
            case "indent":
                return interpreter.CheckLength(Indent(Values.ToStr(value), args.Check(name, "width", "first", "blank")));
            case "int":
                args.Check(name, "default", "base");
                return ToInt(value, args.Get(0, "default", 0L), Values.ToLong(args.Get(1, "base", 10L)));
            case "items":
                args.Check(name);
                return value switch
                {
                    JinjaDict dict => new JinjaList(dict.Items.Select(kv => (object?)Values.Tuple(kv.Key, kv.Value)).ToList()),
                    Undefined => JinjaList.Empty,
                    _ => throw new JinjaError($"can only get item pairs from a mapping, not '{Values.TypeName(value)}'"),
                };
            case "join":
                args.Check(name, "d", "attribute");
                var separator = Values.ToStr(args.Get(0, "d", ""));
                var parts = Values.Iterate(value);
                if (args.Get(1, "attribute") is { } joinAttribute and not Undefined)
                    parts = parts.Select(item => GetPath(interpreter, item, joinAttribute)).ToList();
                return interpreter.CheckLength(string.Join(separator, parts.Select(Values.ToStr)));
            case "list":
                args.Check(name);
                return new JinjaList(Values.Iterate(value));
            case "lower":
                return Values.ToStr(value).ToLowerInvariant();
            case "upper":
                return Values.ToStr(value).ToUpperInvariant();
            case "title":
                return Strings.JinjaTitle(Values.ToStr(value));
            case "map":
                return Map(interpreter, value, args);
            case "max" or "min":
                return MinMax(interpreter, value, args.Check(name, "case_sensitive", "attribute"), name == "max");
            case "pprint":
                return Values.Repr(value);
            case "select" or "reject":
                return Select(interpreter, value, args, attribute: false, keep: name == "select");
            case "selectattr" or "rejectattr":
                return Select(interpreter, value, args, attribute: true, keep: name == "selectattr");
            case "replace":
                args.Check(name, "old", "new", "count");
                var count = args.Get(2, "count") is { } c and not Undefined ? Values.ToLong(c) : -1;
                return interpreter.CheckLength(Strings.Replace(Values.ToStr(value), Values.ToStr(args.Get(0, "old")), Values.ToStr(args.Get(1, "new")), count));
            case "reverse":
                args.Check(name);
                return value is string s
                    ? string.Concat(Strings.CodePoints(s).Reverse().Cast<string>())
                    : new JinjaList(Values.Iterate(value).Reverse().ToList());
            case "round":
                return Round(value, args.Check(name, "precision", "method"));
            case "safe":
                return Values.ToStr(value);
            case "sort":
                return Sort(interpreter, value, args.Check(name, "reverse", "case_sensitive", "attribute"));
            case "string":
                return Values.ToStr(value);
            case "sum":
                return Sum(interpreter, value, args.Check(name, "attribute", "start"));
            case "tojson":
                return ToJson(interpreter, value, args);
            case "trim":
                return Strings.Strip(Values.ToStr(value), args.Check(name, "chars").Get(0, "chars"), true, true);
            case "unique":
                return Unique(interpreter, value, args.Check(name, "case_sensitive", "attribute"));
            case "wordcount":
                return (long)WordRegex().Matches(Values.ToStr(value)).Count;
            default:
                throw new JinjaError($"filter '{name}' is not supported");
        }
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordRegex();

    /// <summary>Jinja's attribute paths: "a.b.0" looks up a, then b, then item 0.</summary>
    private static object? GetPath(Interpreter interpreter, object? item, object? path)
    {
        if (path is long index)
            return Methods.GetItem(interpreter, item, index);
        foreach (var part in Values.ToStr(path).Split('.'))
            item = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                ? Methods.GetItem(interpreter, item, i)
                : Methods.GetItem(interpreter, item, part);
        return item;
    }

    /// <summary>The key for case-insensitive comparison (Jinja's ignore_case).</summary>
    private static object? Fold(object? value, bool caseSensitive) => !caseSensitive && value is string s ? s.ToLowerInvariant() : value;

    private static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&#34;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }

    private static JinjaList Batch(object? value, Arguments args)
    {
        var size = Values.ToLong(args.Get(0, "linecount"));
        if (size <= 0)
            throw new JinjaError("batch size must be positive");
        var fill = args.Has(1, "fill_with") ? args.Get(1, "fill_with") : null;
        var hasFill = args.Has(1, "fill_with") && fill is not null;
        var batches = new List<object?>();
        var current = new List<object?>();
        foreach (var item in Values.Iterate(value))
        {
            current.Add(item);
            if (current.Count == size)
            {
                batches.Add(new JinjaList(current));
                current = [];
            }
        }
        if (current.Count > 0)
        {
            while (hasFill && current.Count < size)
                current.Add(fill);
            batches.Add(new JinjaList(current));
        }
        return new JinjaList(batches);
    }

    private static JinjaList DictSort(object? value, Arguments args)
    {
        if (value is not JinjaDict dict)
            throw new JinjaError($"dictsort needs a mapping, not '{Values.TypeName(value)}'");
        var caseSensitive = Values.Truthy(args.Get(0, "case_sensitive", false));
        var byValue = Values.ToStr(args.Get(1, "by", "key")) switch
        {
            "key" => false,
            "value" => true,
            var other => throw new JinjaError($"You can only sort by either 'key' or 'value', not '{other}'"),
        };
        var pairs = dict.Items.Select(kv => Values.Tuple(kv.Key, kv.Value)).ToList();
        var sorted = pairs.OrderBy(p => Fold(p.Items[byValue ? 1 : 0], caseSensitive), Comparer<object?>.Create(Values.Compare)).ToList();
        if (Values.Truthy(args.Get(2, "reverse", false)))
            sorted.Reverse();
        return new JinjaList(sorted.Cast<object?>().ToList());
    }

    private static object? ToFloat(object? value, object? fallback)
    {
        switch (value)
        {
            case long or bool or double: return Values.ToDouble(value);
            case string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d): return d;
            case string s when s.Trim().ToLowerInvariant() is "inf" or "+inf" or "infinity": return double.PositiveInfinity;
            case string s when s.Trim().ToLowerInvariant() is "-inf" or "-infinity": return double.NegativeInfinity;
            case string s when s.Trim().ToLowerInvariant() is "nan": return double.NaN;
            default: return fallback;
        }
    }

    private static object? ToInt(object? value, object? fallback, long @base)
    {
        switch (value)
        {
            case long or bool: return Values.ToLong(value);
            case double d when double.IsFinite(d) && Math.Abs(d) < 9.2e18: return (long)Math.Truncate(d);
            case string s:
                var text = s.Trim().Replace("_", "");
                try
                {
                    if (@base == 10 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                        return l;
                    if (@base is 2 or 8 or 16)
                    {
                        var digits = text.ToLowerInvariant() is var t && t.Length > 2 && t[0] == '0' && t[1] is 'x' or 'o' or 'b' ? t[2..] : t;
                        return Convert.ToInt64(digits, (int)@base);
                    }
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    return fallback;
                }
                // Jinja falls back to int(float(value)), so "4.5" becomes 4.
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f) && Math.Abs(f) < 9.2e18
                    ? (long)Math.Truncate(f)
                    : fallback;
            default: return fallback;
        }
    }

    /// <summary>Jinja's indent: every line but the first (unless first=true); blank lines stay empty unless blank=true.</summary>
    private static string Indent(string s, Arguments args)
    {
        var width = args.Get(0, "width", 4L);
        var indentation = width is string w ? w : new string(' ', (int)Math.Clamp(Values.ToLong(width), 0, 10_000));
        var first = Values.Truthy(args.Get(1, "first", false));
        var blank = Values.Truthy(args.Get(2, "blank", false));
        var lines = Strings.SplitLines(s + "\n");
        string result;
        if (blank)
            result = string.Join("\n" + indentation, lines);
        else
        {
            result = lines[0];
            if (lines.Count > 1)
                result += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indentation + line : line));
        }
        return first ? indentation + result : result;
    }

    private static JinjaList Map(Interpreter interpreter, object? value, Arguments args)
    {
        var items = Values.Iterate(value);
        if (args.Positional.Count == 0)
        {
            args.Check("map", "attribute", "default");
            var attribute = args.Get(-1, "attribute") ?? throw new JinjaError("map() needs a filter name or attribute=");
            var hasDefault = args.Has(-1, "default");
            var fallback = args.Get(-1, "default");
            return new JinjaList(items.Select(item =>
            {
                var result = GetPath(interpreter, item, attribute);
                return result is Undefined && hasDefault ? fallback : result;
            }).ToList());
        }
        var filter = Values.ToStr(args.Positional[0]);
        var rest = new Arguments(args.Positional.Skip(1).ToList(), args.Named);
        return new JinjaList(items.Select(item => Apply(interpreter, filter, item, rest)).ToList());
    }

    private static object? MinMax(Interpreter interpreter, object? value, Arguments args, bool max)
    {
        var caseSensitive = Values.Truthy(args.Get(0, "case_sensitive", false));
        var attribute = args.Get(1, "attribute");
        var items = Values.Iterate(value);
        if (items.Count == 0)
            return new Undefined($"{(max ? "max" : "min")}() of an empty sequence");
        object? Key(object? item) => Fold(attribute is null or Undefined ? item : GetPath(interpreter, item, attribute), caseSensitive);
        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            var comparison = Values.Compare(Key(item), Key(best));
            if (max ? comparison > 0 : comparison < 0)
                best = item;
        }
        return best;
    }

    private static JinjaList Select(Interpreter interpreter, object? value, Arguments args, bool attribute, bool keep)
    {
        var positional = args.Positional;
        var offset = 0;
        object? attributeName = null;
        if (attribute)
        {
            attributeName = positional.Count > 0 ? positional[0] : throw new JinjaError("selectattr/rejectattr need an attribute name");
            offset = 1;
        }
        var test = positional.Count > offset ? Values.ToStr(positional[offset]) : null;
        var testArgs = new Arguments(positional.Skip(offset + 1).ToList(), args.Named);
        var result = new List<object?>();
        foreach (var item in Values.Iterate(value))
        {
            var subject = attribute ? GetPath(interpreter, item, attributeName) : item;
            var passed = test is null ? Values.Truthy(subject) : JinjaTests.Apply(interpreter, test, subject, testArgs);
            if (passed == keep)
                result.Add(item);
        }
        return new JinjaList(result);
    }

    private static object? Round(object? value, Arguments args)
    {
        var precision = (int)Math.Clamp(Values.ToLong(args.Get(0, "precision", 0L)), -308, 308);
        var method = Values.ToStr(args.Get(1, "method", "common"));
        if (method is not ("common" or "ceil" or "floor"))
            throw new JinjaError("method must be common, ceil or floor");
        if (value is long or bool && method == "common")
            return Values.ToLong(value); // Python's round(int, n) stays an int
        var d = Values.ToDouble(value);
        if (method == "common")
        {
            // Python rounds half to even, on the exact binary value.
            return precision >= 0 && precision <= 15
                ? Math.Round(d, precision, MidpointRounding.ToEven)
                : Math.Round(d / Math.Pow(10, -precision), MidpointRounding.ToEven) * Math.Pow(10, -precision);
        }
        var scale = Math.Pow(10, precision);
        return (method == "ceil" ? Math.Ceiling(d * scale) : Math.Floor(d * scale)) / scale;
    }

    private static JinjaList Sort(Interpreter interpreter, object? value, Arguments args)
    {
        var reverse = Values.Truthy(args.Get(0, "reverse", false));
        var caseSensitive = Values.Truthy(args.Get(1, "case_sensitive", false));
        var attribute = args.Get(2, "attribute");
        object? Key(object? item) => Fold(attribute is null or Undefined ? item : GetPath(interpreter, item, attribute), caseSensitive);
        var comparer = Comparer<object?>.Create(Values.Compare);
        var items = Values.Iterate(value);
        // Python's sort is stable, also in reverse (reverse=True keeps equal items in their original order).
        var sorted = reverse ? items.OrderByDescending(Key, comparer).ToList() : items.OrderBy(Key, comparer).ToList();
        return new JinjaList(sorted);
    }

    private static object? Sum(Interpreter interpreter, object? value, Arguments args)
    {
        var attribute = args.Get(0, "attribute");
        object? total = args.Get(1, "start", 0L);
        foreach (var item in Values.Iterate(value))
            total = Operators.Binary(interpreter, "+", total, attribute is null or Undefined ? item : GetPath(interpreter, item, attribute));
        return total;
    }

    private static string ToJson(Interpreter interpreter, object? value, Arguments args)
    {
        args.Check("tojson", "indent", "ensure_ascii", "separators", "sort_keys");
        var indentArg = args.Get(0, "indent");
        var indent = indentArg switch
        {
            null or Undefined => null,
            string s => s,
            long or bool => new string(' ', (int)Math.Clamp(Values.ToLong(indentArg), 0, 1000)),
            _ => throw new JinjaError($"tojson indent must be an integer or a string, not '{Values.TypeName(indentArg)}'"),
        };
        string? itemSeparator = null, keySeparator = null;
        if (args.Get(-1, "separators") is JinjaList { Count: 2 } separators)
        {
            itemSeparator = Values.ToStr(separators.Items[0]);
            keySeparator = Values.ToStr(separators.Items[1]);
        }
        return Json.Dumps(value, indent, Values.Truthy(args.Get(-1, "sort_keys", false)), Values.Truthy(args.Get(-1, "ensure_ascii", false)),
            itemSeparator, keySeparator, interpreter.Limits.MaxOutputLength);
    }

    private static JinjaList Unique(Interpreter interpreter, object? value, Arguments args)
    {
        var caseSensitive = Values.Truthy(args.Get(0, "case_sensitive", false));
        var attribute = args.Get(1, "attribute");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var item in Values.Iterate(value))
        {
            var key = Fold(attribute is null or Undefined ? item : GetPath(interpreter, item, attribute), caseSensitive);
            if (seen.Any(s => Values.Equal(s, key)))
                continue;
            seen.Add(key);
            result.Add(item);
        }
        return new JinjaList(result);
    }

    /// <summary>The <c>format</c> filter: Python's printf-style "%s" formatting, for %s, %r, %d, %i, %f and %%.</summary>
    private static string PrintfFormat(string format, Arguments args)
    {
        var values = args.Positional;
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var spec = format[++i];
            if (spec == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= values.Count)
                throw new JinjaError("not enough arguments for format string");
            var arg = values[next++];
            sb.Append(spec switch
            {
                's' => Values.ToStr(arg),
                'r' => Values.Repr(arg),
                'd' or 'i' => Values.ToLong(arg is double d ? Math.Truncate(d) : arg).ToString(CultureInfo.InvariantCulture),
                'f' => Values.ToDouble(arg).ToString("F6", CultureInfo.InvariantCulture),
                _ => throw new JinjaError($"format: '%{spec}' is not supported"),
            });
        }
        return sb.ToString();
    }
}
