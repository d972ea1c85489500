namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>Jinja tests, <c>x is defined</c>, <c>x is not none</c>, <c>n is divisibleby 3</c>, with Python type rules.</summary>
internal static class JinjaTests
{
    public static bool Apply(Interpreter interpreter, string name, object? value, Arguments args)
    {
        object? Arg() => args.Positional.Count > 0 ? args.Positional[0] : throw new JinjaError($"test '{name}' needs an argument");
        return name switch
        {
            "defined" => value is not Undefined,
            "undefined" => value is Undefined,
            "none" => value is null,
            "string" => value is string,
            "number" => value is long or double or bool, // Python: bool is an int subclass
            "integer" => value is long,
            "float" => value is double,
            "boolean" => value is bool,
            "true" => value is true,
            "false" => value is false,
            "mapping" => value is JinjaDict,
            "iterable" => value is string or JinjaList or JinjaDict or Undefined,
            "sequence" => value is string or JinjaList or JinjaDict or Undefined,
            "callable" => value is JinjaFunction or JinjaMacro,
            "sameas" => ReferenceEquals(value, Arg()) || (value is null && Arg() is null) || (value is bool b && Arg() is bool c && b == c),
            "eq" or "equalto" or "==" => Values.Equal(value, Arg()),
            "ne" or "!=" => !Values.Equal(value, Arg()),
            "lt" or "lessthan" or "<" => Values.Compare(value, Arg()) < 0,
            "le" or "<=" => Values.Compare(value, Arg()) <= 0,
            "gt" or "greaterthan" or ">" => Values.Compare(value, Arg()) > 0,
            "ge" or ">=" => Values.Compare(value, Arg()) >= 0,
            "in" => Operators.Contains(Arg(), value),
            "odd" => Values.ToLong(value) % 2 != 0,
            "even" => Values.ToLong(value) % 2 == 0,
            "divisibleby" => Values.ToLong(Arg()) is var d && d != 0 ? Values.ToLong(value) % d == 0 : throw new JinjaError("divisibleby 0"),
            "lower" => Values.ToStr(value) is var lower && lower.Any(char.IsLetter) && !lower.Any(char.IsUpper),
            "upper" => Values.ToStr(value) is var upper && upper.Any(char.IsLetter) && !upper.Any(char.IsLower),
            "escaped" => false,
            "filter" => Filters.Exists(Values.ToStr(value)),
            "test" => Exists(Values.ToStr(value)),
            _ => throw new JinjaError($"test '{name}' is not supported"),
        };
    }

    private static readonly HashSet<string> Names =
    [
        "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "true", "false", "mapping",
        "iterable", "sequence", "callable", "sameas", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le",
        "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "odd", "even", "divisibleby", "lower", "upper", "escaped",
        "filter", "test",
    ];

    public static bool Exists(string name) => Names.Contains(name);
}
