using System.Text;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Attribute and item access, and the Python methods templates call on strings, dicts and lists. This is the
/// sandbox boundary: only the names listed here resolve, everything else is Undefined, and the mutating list
/// and dict methods raise, as in transformers' ImmutableSandboxedEnvironment.
/// </summary>
internal static class Methods
{
    private static readonly HashSet<string> ListMutators = ["append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"];

    private static readonly HashSet<string> DictMutators = ["update", "pop", "popitem", "setdefault", "clear"];

    /// <summary><c>obj.name</c>: Jinja2 tries the Python attribute first, then the item (so <c>message.content</c> works).</summary>
    public static object? GetAttribute(Interpreter interpreter, object? obj, string name)
    {
        switch (obj)
        {
            case Undefined:
                // Deliberately lenient (Jinja2 would raise): a missing parent makes the whole chain undefined.
                return new Undefined($"'{name}' of an undefined value is undefined");
            case JinjaDict dict:
                return (object?)DictMethod(dict, name) ?? (dict.TryGet(name, out var value) ? value : new Undefined($"'dict object' has no attribute '{name}'"));
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out var attribute) ? attribute : new Undefined($"namespace has no attribute '{name}'");
            case LoopInfo loop:
                return loop.Get(name);
            case string s:
                return (object?)StringMethod(interpreter, s, name) ?? new Undefined($"'str object' has no attribute '{name}'");
            case JinjaList list:
                return (object?)ListMethod(list, name) ?? new Undefined($"'{Values.TypeName(list)} object' has no attribute '{name}'");
            default:
                return new Undefined($"'{Values.TypeName(obj)} object' has no attribute '{name}'");
        }
    }

    /// <summary><c>obj[key]</c>: the item first, then (for a string key) the attribute, as in Jinja2.</summary>
    public static object? GetItem(Interpreter interpreter, object? obj, object? key)
    {
        switch (obj)
        {
            case Undefined:
                return new Undefined($"{Values.Repr(key)} of an undefined value is undefined");
            case JinjaDict dict:
                if (key is not (Undefined or JinjaDict or JinjaList { IsTuple: false }) && dict.TryGet(key, out var value))
                    return value;
                return key is string name ? GetAttribute(interpreter, obj, name) : new Undefined($"dict has no key {Values.Repr(key)}");
            case JinjaList list when key is long or bool:
                var index = Values.ToLong(key);
                if (index < 0)
                    index += list.Count;
                return index >= 0 && index < list.Count ? list.Items[(int)index] : new Undefined($"list index {Values.ToLong(key)} out of range");
            case string s when key is long or bool:
                try
                {
                    return Strings.Index(s, Values.ToLong(key));
                }
                catch (JinjaError)
                {
                    return new Undefined("string index out of range");
                }
            case JinjaList or string or JinjaNamespace or LoopInfo when key is string attribute:
                return GetAttribute(interpreter, obj, attribute);
            case JinjaList:
                throw new JinjaError($"list indices must be integers or slices, not {Values.TypeName(key)}");
            default:
                return new Undefined($"'{Values.TypeName(obj)}' object has no item {Values.Repr(key)}");
        }
    }

    private static JinjaFunction Method(string owner, string name, Func<Arguments, object?> body) => new($"{owner}.{name}", body);

    public static JinjaFunction? GetDictMethod(JinjaDict dict, string name) => DictMethod(dict, name);

    private static JinjaFunction? DictMethod(JinjaDict dict, string name)
    {
        if (DictMutators.Contains(name))
            throw new JinjaError($"dict.{name}() is not allowed: templates render in an immutable sandbox (use namespace() for state)");
        return name switch
        {
            "items" => Method("dict", name, args =>
            {
                args.Check("dict.items");
                return new JinjaList(dict.Items.Select(kv => (object?)Values.Tuple(kv.Key, kv.Value)).ToList());
            }),
            "keys" => Method("dict", name, args =>
            {
                args.Check("dict.keys");
                return new JinjaList(dict.Items.Keys.Cast<object?>().ToList());
            }),
            "values" => Method("dict", name, args =>
            {
                args.Check("dict.values");
                return new JinjaList(dict.Items.Values.ToList());
            }),
            "get" => Method("dict", name, args =>
            {
                args.Check("dict.get", "key", "default");
                return dict.TryGet(args.Get(0, "key"), out var value) ? value : args.Get(1, "default");
            }),
            "copy" => Method("dict", name, _ =>
            {
                var copy = new JinjaDict();
                foreach (var (key, value) in dict.Items)
                    copy.Set(key, value);
                return copy;
            }),
            _ => null,
        };
    }

    private static JinjaFunction? ListMethod(JinjaList list, string name)
    {
        if (!list.IsTuple && ListMutators.Contains(name))
            throw new JinjaError($"list.{name}() is not allowed: templates render in an immutable sandbox (build a new list with '+', or use namespace())");
        return name switch
        {
            "index" => Method("list", name, args =>
            {
                var item = args.Check("list.index", "value").Get(0, "value");
                for (var i = 0; i < list.Count; i++)
                    if (Values.Equal(list.Items[i], item))
                        return (long)i;
                throw new JinjaError($"{Values.Repr(item)} is not in list");
            }),
            "count" => Method("list", name, args =>
            {
                var item = args.Check("list.count", "value").Get(0, "value");
                return (long)list.Items.Count(x => Values.Equal(x, item));
            }),
            "copy" => Method("list", name, _ => new JinjaList(list.Items, list.IsTuple)),
            _ => null,
        };
    }

    private static string Text(object? value, string what) => value switch
    {
        string s => s,
        _ => throw new JinjaError($"{what} must be str, not {Values.TypeName(value)}"),
    };

    private static bool MatchesAffix(string s, object? affix, bool prefix, string method)
    {
        return affix switch
        {
            string a => prefix ? s.StartsWith(a, StringComparison.Ordinal) : s.EndsWith(a, StringComparison.Ordinal),
            JinjaList { IsTuple: true } tuple => tuple.Items.Any(a => MatchesAffix(s, a, prefix, method)),
            _ => throw new JinjaError($"{method} first arg must be str or a tuple of str, not {Values.TypeName(affix)}"),
        };
    }

    private static JinjaFunction? StringMethod(Interpreter interpreter, string s, string name)
    {
        long Int(object? value, string what) => value is long or bool ? Values.ToLong(value) : throw new JinjaError($"{what} must be an integer");
        return name switch
        {
            "strip" => Method("str", name, args => Strings.Strip(s, args.Check("str.strip", "chars").Get(0, "chars"), true, true)),
            "lstrip" => Method("str", name, args => Strings.Strip(s, args.Check("str.lstrip", "chars").Get(0, "chars"), true, false)),
            "rstrip" => Method("str", name, args => Strings.Strip(s, args.Check("str.rstrip", "chars").Get(0, "chars"), false, true)),
            "split" => Method("str", name, args =>
            {
                args.Check("str.split", "sep", "maxsplit");
                return Strings.Split(s, args.Get(0, "sep"), Int(args.Get(1, "maxsplit", -1L), "maxsplit"));
            }),
            "rsplit" => Method("str", name, args =>
            {
                args.Check("str.rsplit", "sep", "maxsplit");
                return Strings.Split(s, args.Get(0, "sep"), Int(args.Get(1, "maxsplit", -1L), "maxsplit"), fromRight: true);
            }),
            "splitlines" => Method("str", name, args =>
                new JinjaList(Strings.SplitLines(s, Values.Truthy(args.Check("str.splitlines", "keepends").Get(0, "keepends", false))).Cast<object?>().ToList())),
            "startswith" => Method("str", name, args => MatchesAffix(s, args.Check("str.startswith", "prefix").Get(0, "prefix"), prefix: true, "startswith")),
            "endswith" => Method("str", name, args => MatchesAffix(s, args.Check("str.endswith", "suffix").Get(0, "suffix"), prefix: false, "endswith")),
            "upper" => Method("str", name, _ => s.ToUpperInvariant()),
            "lower" => Method("str", name, _ => s.ToLowerInvariant()),
            "casefold" => Method("str", name, _ => s.ToLowerInvariant()),
            "title" => Method("str", name, _ => Strings.PyTitle(s)),
            "capitalize" => Method("str", name, _ => Strings.Capitalize(s)),
            "swapcase" => Method("str", name, _ => string.Concat(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)))),
            "replace" => Method("str", name, args =>
            {
                args.Check("str.replace", "old", "new", "count");
                return interpreter.CheckLength(Strings.Replace(s, Text(args.Get(0, "old"), "replace() old"), Text(args.Get(1, "new"), "replace() new"),
                    Int(args.Get(2, "count", -1L), "count")));
            }),
            "find" => Method("str", name, args => (long)s.IndexOf(Text(args.Check("str.find", "sub").Get(0, "sub"), "find() argument"), StringComparison.Ordinal)),
            "rfind" => Method("str", name, args => (long)s.LastIndexOf(Text(args.Check("str.rfind", "sub").Get(0, "sub"), "rfind() argument"), StringComparison.Ordinal)),
            "index" => Method("str", name, args =>
            {
                var found = s.IndexOf(Text(args.Check("str.index", "sub").Get(0, "sub"), "index() argument"), StringComparison.Ordinal);
                return found >= 0 ? (long)found : throw new JinjaError("substring not found");
            }),
            "count" => Method("str", name, args =>
            {
                var sub = Text(args.Check("str.count", "sub").Get(0, "sub"), "count() argument");
                if (sub.Length == 0)
                    return (long)Strings.Length(s) + 1;
                long n = 0;
                for (var i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
                    n++;
                return n;
            }),
            "join" => Method("str", name, args =>
                interpreter.CheckLength(string.Join(s, Values.Iterate(args.Check("str.join", "iterable").Get(0, "iterable")).Select(x => Text(x, "join() item"))))),
            "format" => Method("str", name, args => interpreter.CheckLength(Strings.Format(s, args))),
            "removeprefix" => Method("str", name, args =>
            {
                var prefix = Text(args.Check("str.removeprefix", "prefix").Get(0, "prefix"), "removeprefix() argument");
                return s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;
            }),
            "removesuffix" => Method("str", name, args =>
            {
                var suffix = Text(args.Check("str.removesuffix", "suffix").Get(0, "suffix"), "removesuffix() argument");
                return suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;
            }),
            "isdigit" => Method("str", name, _ => s.Length > 0 && s.All(char.IsDigit)),
            "isnumeric" => Method("str", name, _ => s.Length > 0 && s.All(char.IsNumber)),
            "isalpha" => Method("str", name, _ => s.Length > 0 && s.All(char.IsLetter)),
            "isalnum" => Method("str", name, _ => s.Length > 0 && s.All(char.IsLetterOrDigit)),
            "isspace" => Method("str", name, _ => s.Length > 0 && s.All(Strings.IsSpace)),
            "islower" => Method("str", name, _ => s.Any(char.IsLetter) && !s.Any(char.IsUpper)),
            "isupper" => Method("str", name, _ => s.Any(char.IsLetter) && !s.Any(char.IsLower)),
            "zfill" => Method("str", name, args =>
            {
                var width = Int(args.Check("str.zfill", "width").Get(0, "width"), "width");
                if (width <= s.Length)
                    return s;
                var sign = s.Length > 0 && s[0] is '+' or '-' ? s[..1] : "";
                return interpreter.CheckLength(sign + new string('0', (int)width - s.Length) + s[sign.Length..]);
            }),
            "ljust" or "rjust" or "center" => Method("str", name, args =>
            {
                args.Check($"str.{name}", "width", "fillchar");
                var width = Int(args.Get(0, "width"), "width");
                var fill = Text(args.Get(1, "fillchar", " "), "fillchar");
                if (fill.Length != 1)
                    throw new JinjaError("The fill character must be exactly one character long");
                if (width > interpreter.Limits.MaxOutputLength)
                    throw new JinjaError($"width {width} exceeds the limit of {interpreter.Limits.MaxOutputLength}");
                var pad = (int)width - s.Length;
                if (pad <= 0)
                    return s;
                var left = name switch { "ljust" => 0, "rjust" => pad, _ => pad / 2 + (pad & (int)width & 1) };
                return new StringBuilder().Append(fill[0], left).Append(s).Append(fill[0], pad - left).ToString();
            }),
            _ => null,
        };
    }
}
