using System.Globalization;
using System.Text;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// Python <c>str</c> semantics. Python indexes strings by code point while .NET uses UTF-16 units, so length,
/// indexing and slicing go through code points when a string has surrogate pairs (emoji), and stay on the fast
/// UTF-16 path otherwise.
/// </summary>
internal static class Strings
{
    private static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    public static int Length(string s) => HasSurrogates(s) ? s.EnumerateRunes().Count() : s.Length;

    public static IReadOnlyList<object?> CodePoints(string s) =>
        HasSurrogates(s) ? s.EnumerateRunes().Select(r => (object?)r.ToString()).ToList() : s.Select(c => (object?)c.ToString()).ToList();

    public static string Index(string s, long index)
    {
        var points = CodePoints(s);
        if (index < 0)
            index += points.Count;
        return index >= 0 && index < points.Count ? (string)points[(int)index]! : throw new JinjaError("string index out of range");
    }

    public static string Slice(string s, long? start, long? stop, long? step)
    {
        var points = CodePoints(s);
        var sb = new StringBuilder();
        foreach (var i in SliceIndices(points.Count, start, stop, step))
            sb.Append((string)points[i]!);
        return sb.ToString();
    }

    /// <summary>The indices a Python slice <c>[start:stop:step]</c> selects from a sequence of <paramref name="length"/>.</summary>
    public static IEnumerable<int> SliceIndices(int length, long? start, long? stop, long? step)
    {
        var s = step ?? 1;
        if (s == 0)
            throw new JinjaError("slice step cannot be zero");
        long Clamp(long? value, long @default, long low, long high)
        {
            if (value is not { } v)
                return @default;
            if (v < 0)
                v += length;
            return Math.Clamp(v, low, high);
        }
        if (s > 0)
        {
            var from = Clamp(start, 0, 0, length);
            var to = Clamp(stop, length, 0, length);
            for (var i = from; i < to; i += s)
                yield return (int)i;
        }
        else
        {
            var from = Clamp(start, length - 1, -1, length - 1);
            var to = Clamp(stop, -1, -1, length - 1);
            for (var i = from; i > to; i += s)
                yield return (int)i;
        }
    }

    /// <summary>Python's <c>str.isspace</c> characters, the default for strip() and split().</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is '\x1c' or '\x1d' or '\x1e' or '\x1f';

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        Func<char, bool> strip = chars switch
        {
            null or Undefined => IsSpace,
            string set => set.Contains,
            _ => throw new JinjaError($"strip arg must be None or str, not {Values.TypeName(chars)}"),
        };
        int start = 0, end = s.Length;
        if (left)
            while (start < end && strip(s[start]))
                start++;
        if (right)
            while (end > start && strip(s[end - 1]))
                end--;
        return s[start..end];
    }

    public static JinjaList Split(string s, object? separator, long maxSplit, bool fromRight = false)
    {
        var parts = new List<object?>();
        if (separator is null or Undefined)
        {
            // Runs of whitespace separate, and leading/trailing whitespace yields no empty strings.
            var words = new List<string>();
            var i = 0;
            while (i < s.Length)
            {
                while (i < s.Length && IsSpace(s[i]))
                    i++;
                if (i >= s.Length)
                    break;
                var start = i;
                while (i < s.Length && !IsSpace(s[i]))
                    i++;
                words.Add(s[start..i]);
            }
            if (maxSplit >= 0 && words.Count > maxSplit + 1)
            {
                // Rare: re-split keeping the remainder intact.
                return fromRight ? SplitRightWhitespace(s, maxSplit) : SplitLeftWhitespace(s, maxSplit);
            }
            return new JinjaList(words.Cast<object?>().ToList());
        }
        if (separator is not string sep)
            throw new JinjaError($"must be str or None, not {Values.TypeName(separator)}");
        if (sep.Length == 0)
            throw new JinjaError("empty separator");
        if (!fromRight)
        {
            var pos = 0;
            while (maxSplit < 0 || parts.Count < maxSplit)
            {
                var next = s.IndexOf(sep, pos, StringComparison.Ordinal);
                if (next < 0)
                    break;
                parts.Add(s[pos..next]);
                pos = next + sep.Length;
            }
            parts.Add(s[pos..]);
            return new JinjaList(parts);
        }
        var end = s.Length;
        var reversed = new List<object?>();
        while (maxSplit < 0 || reversed.Count < maxSplit)
        {
            var next = end == 0 ? -1 : s.LastIndexOf(sep, end - 1, StringComparison.Ordinal);
            if (next < 0 || next + sep.Length > end)
                break;
            reversed.Add(s[(next + sep.Length)..end]);
            end = next;
        }
        reversed.Add(s[..end]);
        reversed.Reverse();
        return new JinjaList(reversed);
    }

    private static JinjaList SplitLeftWhitespace(string s, long maxSplit)
    {
        var parts = new List<object?>();
        var i = 0;
        while (true)
        {
            while (i < s.Length && IsSpace(s[i]))
                i++;
            if (i >= s.Length)
                break;
            if (parts.Count == maxSplit)
            {
                parts.Add(s[i..].TrimEnd());
                break;
            }
            var start = i;
            while (i < s.Length && !IsSpace(s[i]))
                i++;
            parts.Add(s[start..i]);
        }
        return new JinjaList(parts);
    }

    private static JinjaList SplitRightWhitespace(string s, long maxSplit)
    {
        var parts = new List<object?>();
        var i = s.Length;
        while (true)
        {
            while (i > 0 && IsSpace(s[i - 1]))
                i--;
            if (i <= 0)
                break;
            if (parts.Count == maxSplit)
            {
                parts.Add(s[..i].TrimStart());
                break;
            }
            var end = i;
            while (i > 0 && !IsSpace(s[i - 1]))
                i--;
            parts.Add(s[i..end]);
        }
        parts.Reverse();
        return new JinjaList(parts);
    }

    /// <summary>Python's <c>str.splitlines()</c> line boundaries.</summary>
    public static List<string> SplitLines(string s, bool keepEnds = false)
    {
        var lines = new List<string>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                var eol = i + (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1);
                lines.Add(keepEnds ? s[start..eol] : s[start..i]);
                start = i = eol;
            }
            else
                i++;
        }
        if (start < s.Length)
            lines.Add(s[start..]);
        return lines;
    }

    /// <summary>Python's <c>str.title()</c>: upper-case a letter that follows a non-letter, lower-case the rest.</summary>
    public static string PyTitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            sb.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousCased = char.IsLetter(c);
        }
        return sb.ToString();
    }

    /// <summary>Jinja's <c>title</c> filter: capitalize each word, words split at whitespace, '-', and opening brackets.</summary>
    public static string JinjaTitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        var wordStart = true;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '(' or '{' or '[' or '<')
            {
                sb.Append(c);
                wordStart = true;
                continue;
            }
            sb.Append(wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = false;
        }
        return sb.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
            return old.Length == 0 ? InsertBetweenAll(s, replacement) : s.Replace(old, replacement, StringComparison.Ordinal);
        var sb = new StringBuilder();
        var pos = 0;
        for (var n = 0; n < count; n++)
        {
            var next = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (next < 0 || old.Length == 0)
                break;
            sb.Append(s, pos, next - pos).Append(replacement);
            pos = next + old.Length;
        }
        return sb.Append(s, pos, s.Length - pos).ToString();
    }

    private static string InsertBetweenAll(string s, string insert)
    {
        var sb = new StringBuilder(insert);
        foreach (var point in CodePoints(s))
            sb.Append((string)point!).Append(insert);
        return sb.ToString();
    }

    /// <summary>A subset of Python's <c>str.format</c>: <c>{}</c>, <c>{0}</c> and <c>{name}</c> without format specs.</summary>
    public static string Format(string format, Arguments args)
    {
        var sb = new StringBuilder();
        var auto = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                sb.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                sb.Append('}');
                i++;
            }
            else if (c == '{')
            {
                var close = format.IndexOf('}', i);
                if (close < 0)
                    throw new JinjaError("single '{' encountered in format string");
                var field = format[(i + 1)..close];
                if (field.Contains(':') || field.Contains('!'))
                    throw new JinjaError($"str.format field '{{{field}}}' uses a format spec or conversion, which is not supported");
                object? value;
                if (field.Length == 0)
                    value = auto < args.Positional.Count ? args.Positional[auto++] : throw new JinjaError("str.format: not enough arguments");
                else if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    value = index < args.Positional.Count ? args.Positional[index] : throw new JinjaError($"str.format: no argument {index}");
                else
                    value = args.Named.FirstOrDefault(n => n.Key == field) is { Key: not null } named ? named.Value : throw new JinjaError($"str.format: no argument '{field}'");
                sb.Append(Values.ToStr(value));
                i = close;
            }
            else
                sb.Append(c);
        }
        return sb.ToString();
    }
}
