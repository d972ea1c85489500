using System.Globalization;
using System.Text;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>The template's own <c>raise_exception(message)</c>; surfaces as a ChatTemplateException with that message.</summary>
internal sealed class TemplateRaisedError(string message) : Exception(message);

/// <summary>
/// Global functions: Jinja's <c>range</c>, <c>namespace</c> and <c>dict</c>, plus the two transformers adds to
/// every chat template, <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class Globals
{
    /// <summary>Jinja globals a template might call that this sandbox leaves out; calling one names it.</summary>
    public static readonly HashSet<string> Unsupported = ["lipsum", "cycler", "joiner", "self"];

    public static IEnumerable<(string Name, JinjaFunction Function)> Create(Interpreter interpreter, TimeProvider time)
    {
        yield return ("range", new JinjaFunction("range", args => Range(interpreter, args)));
        yield return ("namespace", new JinjaFunction("namespace", Namespace));
        yield return ("dict", new JinjaFunction("dict", Dict));
        yield return ("raise_exception", new JinjaFunction("raise_exception", args =>
            throw new TemplateRaisedError(Values.ToStr(args.Get(0, "message", "")))));
        yield return ("strftime_now", new JinjaFunction("strftime_now", args =>
            Strftime(Values.ToStr(args.Check("strftime_now", "format").Get(0, "format", "")), time.GetLocalNow().DateTime)));
    }

    private static JinjaList Range(Interpreter interpreter, Arguments args)
    {
        args.Check("range", "start", "stop", "step");
        if (args.Named.Count > 0 || args.Positional.Count is 0 or > 3)
            throw new JinjaError("range() takes 1 to 3 positional arguments");
        var numbers = args.Positional.Select(v => v is long or bool ? Values.ToLong(v) : throw new JinjaError(
            $"range() arguments must be integers, not '{Values.TypeName(v)}'")).ToArray();
        var (start, stop, step) = numbers.Length switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            _ => (numbers[0], numbers[1], numbers[2]),
        };
        if (step == 0)
            throw new JinjaError("range() arg 3 must not be zero");
        var count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0) : (start > stop ? (start - stop - step - 1) / -step : 0);
        // Jinja's sandbox refuses ranges over 100000 items ("Range too big"); we use the configured list limit.
        interpreter.CheckListLength(count);
        var items = new List<object?>((int)count);
        for (var i = 0L; i < count; i++)
            items.Add(start + i * step);
        return new JinjaList(items);
    }

    private static JinjaNamespace Namespace(Arguments args)
    {
        var ns = new JinjaNamespace();
        foreach (var positional in args.Positional)
        {
            if (positional is not JinjaDict initial)
                throw new JinjaError($"namespace() takes a dict or keyword arguments, not '{Values.TypeName(positional)}'");
            foreach (var (key, value) in initial.Items)
                ns.Attributes[Values.ToStr(key)] = value;
        }
        foreach (var (key, value) in args.Named)
            ns.Attributes[key] = value;
        return ns;
    }

    private static JinjaDict Dict(Arguments args)
    {
        var dict = new JinjaDict();
        foreach (var positional in args.Positional)
        {
            if (positional is not JinjaDict initial)
                throw new JinjaError($"dict() takes a dict or keyword arguments, not '{Values.TypeName(positional)}'");
            foreach (var (key, value) in initial.Items)
                dict.Set(key, value);
        }
        foreach (var (key, value) in args.Named)
            dict.Set(key, value);
        return dict;
    }

    /// <summary>Python's <c>time.strftime</c> (glibc flavour, including "%-d") for the C locale.</summary>
    public static string Strftime(string format, DateTime t)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var noPad = format[i + 1] == '-' && i + 2 < format.Length;
            var directive = format[noPad ? i + 2 : i + 1];
            i += noPad ? 2 : 1;
            string Pad(int value, int width) => noPad ? value.ToString(c) : value.ToString(new string('0', width), c);
            sb.Append(directive switch
            {
                'a' => t.ToString("ddd", c),
                'A' => t.ToString("dddd", c),
                'b' or 'h' => t.ToString("MMM", c),
                'B' => t.ToString("MMMM", c),
                'd' => Pad(t.Day, 2),
                'e' => noPad ? t.Day.ToString(c) : t.Day.ToString(c).PadLeft(2),
                'm' => Pad(t.Month, 2),
                'y' => Pad(t.Year % 100, 2),
                'Y' => t.Year.ToString(c),
                'H' => Pad(t.Hour, 2),
                'I' => Pad(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2),
                'M' => Pad(t.Minute, 2),
                'S' => Pad(t.Second, 2),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'j' => Pad(t.DayOfYear, 3),
                'w' => ((int)t.DayOfWeek).ToString(c),
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(c),
                'F' => t.ToString("yyyy-MM-dd", c),
                'D' => t.ToString("MM/dd/yy", c),
                'T' => t.ToString("HH:mm:ss", c),
                'R' => t.ToString("HH:mm", c),
                'c' => t.ToString("ddd MMM ", c) + t.Day.ToString(c).PadLeft(2) + t.ToString(" HH:mm:ss yyyy", c),
                'x' => t.ToString("MM/dd/yy", c),
                'X' => t.ToString("HH:mm:ss", c),
                'n' => "\n",
                't' => "\t",
                '%' => "%",
                _ => "%" + (noPad ? "-" : "") + directive,
            });
        }
        return sb.ToString();
    }
}
