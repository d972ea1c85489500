using System.Globalization;
using System.Text;

namespace ChatPlatform.Llm.ChatTemplates;

/// <summary>
/// The <c>tojson</c> filter as transformers defines it: Python's <c>json.dumps(x, ensure_ascii=False,
/// indent=indent, separators=separators, sort_keys=sort_keys)</c>. Spacing matters because the text goes into
/// the prompt: items are separated by ", " without indent and "," with it, keys by ": ", and non-ASCII text is
/// written as is. Jinja's own tojson (HTML-escaping) is not what transformers uses.
/// </summary>
internal static class Json
{
    public static string Dumps(object? value, string? indent = null, bool sortKeys = false, bool ensureAscii = false,
        string? itemSeparator = null, string? keySeparator = null, int maxLength = int.MaxValue)
    {
        var sb = new StringBuilder();
        var writer = new Writer(sb, indent, sortKeys, ensureAscii, itemSeparator ?? (indent is null ? ", " : ","), keySeparator ?? ": ", maxLength);
        writer.Write(value, 0);
        return sb.ToString();
    }

    private sealed class Writer(StringBuilder sb, string? indent, bool sortKeys, bool ensureAscii, string itemSeparator, string keySeparator, int maxLength)
    {
        public void Write(object? value, int level)
        {
            if (level > 64)
                throw new JinjaError("tojson: value is nested too deeply");
            if (sb.Length > maxLength)
                throw new JinjaError($"tojson output exceeds the limit of {maxLength} characters");
            switch (value)
            {
                case null: sb.Append("null"); break;
                case bool b: sb.Append(b ? "true" : "false"); break;
                case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: sb.Append(FormatDouble(d)); break;
                case string s: WriteString(s); break;
                case JinjaList list: WriteArray(list.Items, level); break;
                case JinjaDict dict: WriteObject(dict, level); break;
                default: throw new JinjaError($"Object of type {Values.TypeName(value)} is not JSON serializable");
            }
        }

        private static string FormatDouble(double d) =>
            double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : Values.FormatFloat(d);

        private void NewLine(int level)
        {
            sb.Append('\n');
            for (var i = 0; i < level; i++)
                sb.Append(indent);
        }

        private void WriteArray(IReadOnlyList<object?> items, int level)
        {
            if (items.Count == 0)
            {
                sb.Append("[]");
                return;
            }
            sb.Append('[');
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                    sb.Append(itemSeparator);
                if (indent is not null)
                    NewLine(level + 1);
                Write(items[i], level + 1);
            }
            if (indent is not null)
                NewLine(level);
            sb.Append(']');
        }

        private void WriteObject(JinjaDict dict, int level)
        {
            if (dict.Count == 0)
            {
                sb.Append("{}");
                return;
            }
            IEnumerable<KeyValuePair<object, object?>> entries = dict.Items;
            if (sortKeys)
                entries = entries.OrderBy(kv => KeyString(kv.Key), StringComparer.Ordinal);
            sb.Append('{');
            var first = true;
            foreach (var (key, item) in entries)
            {
                if (!first)
                    sb.Append(itemSeparator);
                first = false;
                if (indent is not null)
                    NewLine(level + 1);
                WriteString(KeyString(key));
                sb.Append(keySeparator);
                Write(item, level + 1);
            }
            if (indent is not null)
                NewLine(level);
            sb.Append('}');
        }

        // json.dumps turns non-string keys into strings the JSON way: 1 -> "1", True -> "true", None -> "null".
        private static string KeyString(object key) => key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => FormatDouble(d),
            _ => throw new JinjaError($"keys must be str, int, float, bool or None, not {Values.TypeName(key)}"),
        };

        private void WriteString(string s)
        {
            sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < ' ' || (ensureAscii && c > '~'))
                            sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                        else
                            sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }
    }
}
