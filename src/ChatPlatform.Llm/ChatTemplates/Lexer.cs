using System.Globalization;
using System.Text;

namespace ChatPlatform.Llm.ChatTemplates;

internal enum TokenKind { Data, VariableBegin, VariableEnd, BlockBegin, BlockEnd, Name, String, Integer, Float, Operator, Eof }

/// <summary>One lexical token; <see cref="Position"/> is an offset into the normalized source.</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Position)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public string Describe() => Kind switch
    {
        TokenKind.Eof => "end of template",
        TokenKind.Data => "template text",
        TokenKind.String => "string literal",
        TokenKind.VariableEnd => "'}}'",
        TokenKind.BlockEnd => "'%}'",
        _ => $"'{Value}'",
    };
}

/// <summary>The template text after newline normalization, with a line index for error locations.</summary>
internal sealed class SourceText
{
    private readonly List<int> _lineStarts = [0];

    public SourceText(string raw)
    {
        // Jinja normalizes newlines to "\n" and, with keep_trailing_newline=False (the default transformers keeps),
        // drops one trailing newline from the template.
        var text = raw.Replace("\r\n", "\n").Replace('\r', '\n');
        if (text.EndsWith('\n'))
            text = text[..^1];
        Text = text;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
                _lineStarts.Add(i + 1);
    }

    public string Text { get; }

    public (int Line, int Column) Locate(int position)
    {
        var index = _lineStarts.BinarySearch(position);
        if (index < 0)
            index = ~index - 1;
        return (index + 1, position - _lineStarts[index] + 1);
    }

    public int LineOf(int position) => Locate(position).Line;

    public ChatTemplateException Error(int position, string reason)
    {
        var (line, column) = Locate(position);
        return new ChatTemplateException(reason, line, column);
    }
}

/// <summary>
/// Splits a template into text and tag tokens the way Jinja2's lexer does, including its whitespace rules:
/// <c>{%-</c>/<c>-%}</c> strip all whitespace on that side, <c>trim_blocks</c> drops the first newline after a
/// block or comment tag, and <c>lstrip_blocks</c> drops spaces and tabs between a line start and a block or
/// comment tag (not a <c>{{ }}</c>). transformers renders chat templates with both options on.
/// </summary>
internal static class Lexer
{
    // Longest first, so "**" wins over "*" and "//" over "/".
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";"];

    public static List<Token> Tokenize(SourceText source, bool trimBlocks = true, bool lstripBlocks = true)
    {
        var s = source.Text;
        var tokens = new List<Token>();
        var pos = 0;
        var lineStarting = true; // Jinja2 treats the template start like the start of a line for lstrip_blocks.
        while (pos < s.Length)
        {
            var tagStart = FindTagStart(s, pos);
            if (tagStart < 0)
            {
                tokens.Add(new Token(TokenKind.Data, s[pos..], pos));
                break;
            }

            var kind = s[tagStart + 1];
            var after = tagStart + 2;
            var sign = after < s.Length && s[after] is '-' or '+' ? s[after] : '\0';
            var text = s[pos..tagStart];
            if (sign == '-')
                text = text.TrimEnd();
            else if (sign != '+' && lstripBlocks && kind != '{')
            {
                var lineStart = text.LastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && IsBlank(text, lineStart))
                    text = text[..lineStart];
            }
            if (text.Length > 0)
                tokens.Add(new Token(TokenKind.Data, text, pos));
            if (sign != '\0')
                after++;

            if (kind == '#')
                pos = SkipComment(source, tagStart, after, trimBlocks);
            else if (kind == '%' && TryMatchRawBegin(s, after, out var rawBodyStart))
                pos = LexRaw(source, tagStart, rawBodyStart, tokens, trimBlocks, lstripBlocks);
            else
                pos = LexTag(source, tagStart, after, kind == '%', tokens, trimBlocks);
            lineStarting = pos > 0 && s[pos - 1] == '\n';
        }
        tokens.Add(new Token(TokenKind.Eof, "", s.Length));
        return tokens;
    }

    private static int FindTagStart(string s, int from)
    {
        for (var i = s.IndexOf('{', from); i >= 0 && i + 1 < s.Length; i = s.IndexOf('{', i + 1))
            if (s[i + 1] is '{' or '%' or '#')
                return i;
        return -1;
    }

    private static bool IsBlank(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
            if (!char.IsWhiteSpace(text[i]))
                return false;
        return true;
    }

    private static int SkipWhitespace(string s, int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
            pos++;
        return pos;
    }

    /// <summary>Position after a tag end ("%}" or "#}") at <paramref name="end"/>, applying -, + and trim_blocks.</summary>
    private static int AfterTagEnd(string s, int end, char control, bool trimBlocks)
    {
        var pos = end + 2;
        if (control == '-')
            return SkipWhitespace(s, pos);
        if (control != '+' && trimBlocks && pos < s.Length && s[pos] == '\n')
            pos++;
        return pos;
    }

    private static int SkipComment(SourceText source, int tagStart, int bodyStart, bool trimBlocks)
    {
        var s = source.Text;
        var end = s.IndexOf("#}", bodyStart, StringComparison.Ordinal);
        if (end < 0)
            throw source.Error(tagStart, "missing end of comment tag '#}'");
        var control = end > bodyStart && s[end - 1] is '-' or '+' ? s[end - 1] : '\0';
        return AfterTagEnd(s, end, control, trimBlocks);
    }

    // {% raw %} ... {% endraw %}: the body is emitted as text, untouched.
    private static bool TryMatchRawBegin(string s, int pos, out int bodyStart)
    {
        bodyStart = 0;
        pos = SkipWhitespace(s, pos);
        if (string.CompareOrdinal(s, pos, "raw", 0, 3) != 0 || (pos + 3 < s.Length && IsNameChar(s[pos + 3])))
            return false;
        pos = SkipWhitespace(s, pos + 3);
        if (string.CompareOrdinal(s, pos, "-%}", 0, 3) == 0)
        {
            bodyStart = SkipWhitespace(s, pos + 3);
            return true;
        }
        if (string.CompareOrdinal(s, pos, "%}", 0, 2) == 0)
        {
            bodyStart = pos + 2;
            return true;
        }
        return false;
    }

    private static int LexRaw(SourceText source, int tagStart, int bodyStart, List<Token> tokens, bool trimBlocks, bool lstripBlocks)
    {
        var s = source.Text;
        for (var i = s.IndexOf("{%", bodyStart, StringComparison.Ordinal); i >= 0; i = s.IndexOf("{%", i + 2, StringComparison.Ordinal))
        {
            var p = i + 2;
            var sign = p < s.Length && s[p] is '-' or '+' ? s[p] : '\0';
            if (sign != '\0')
                p++;
            p = SkipWhitespace(s, p);
            if (string.CompareOrdinal(s, p, "endraw", 0, 6) != 0)
                continue;
            p = SkipWhitespace(s, p + 6);
            var control = p < s.Length && s[p] is '-' or '+' ? s[p] : '\0';
            if (string.CompareOrdinal(s, control == '\0' ? p : p + 1, "%}", 0, 2) != 0)
                continue;
            var text = s[bodyStart..i];
            if (sign == '-')
                text = text.TrimEnd();
            else if (sign != '+' && lstripBlocks)
            {
                var lineStart = text.LastIndexOf('\n') + 1;
                if (lineStart > 0 && IsBlank(text, lineStart))
                    text = text[..lineStart];
            }
            if (text.Length > 0)
                tokens.Add(new Token(TokenKind.Data, text, bodyStart));
            return AfterTagEnd(s, control == '\0' ? p : p + 1, control, trimBlocks);
        }
        throw source.Error(tagStart, "missing '{% endraw %}' for '{% raw %}'");
    }

    private static int LexTag(SourceText source, int tagStart, int pos, bool isBlock, List<Token> tokens, bool trimBlocks)
    {
        var s = source.Text;
        tokens.Add(new Token(isBlock ? TokenKind.BlockBegin : TokenKind.VariableBegin, isBlock ? "{%" : "{{", tagStart));
        var brackets = new Stack<char>();
        while (true)
        {
            pos = SkipWhitespace(s, pos);
            if (pos >= s.Length)
                throw source.Error(tagStart, $"unexpected end of template: '{(isBlock ? "{%" : "{{")}' is never closed");

            // Like Jinja2, a closing delimiter only counts while brackets are balanced, so "{{ {'a': {'b': 1}} }}" works.
            if (brackets.Count == 0)
            {
                var close = isBlock ? "%}" : "}}";
                var control = s[pos] is '-' or '+' ? s[pos] : '\0';
                if (!(control == '+' && !isBlock) && string.CompareOrdinal(s, control == '\0' ? pos : pos + 1, close, 0, 2) == 0)
                {
                    var end = control == '\0' ? pos : pos + 1;
                    tokens.Add(new Token(isBlock ? TokenKind.BlockEnd : TokenKind.VariableEnd, close, pos));
                    return isBlock ? AfterTagEnd(s, end, control, trimBlocks)
                        : control == '-' ? SkipWhitespace(s, end + 2) : end + 2;
                }
            }

            var c = s[pos];
            if (char.IsLetter(c) || c == '_')
            {
                var start = pos;
                while (pos < s.Length && IsNameChar(s[pos]))
                    pos++;
                tokens.Add(new Token(TokenKind.Name, s[start..pos], start));
            }
            else if (char.IsAsciiDigit(c))
                pos = LexNumber(source, pos, tokens);
            else if (c is '\'' or '"')
                pos = LexString(source, pos, tokens);
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(s, pos, o, 0, o.Length) == 0)
                    ?? throw source.Error(pos, $"unexpected character '{c}'");
                if (op is "(" or "[" or "{")
                    brackets.Push(op[0]);
                else if (op is ")" or "]" or "}")
                {
                    var open = op switch { ")" => '(', "]" => '[', _ => '{' };
                    if (brackets.Count == 0 || brackets.Pop() != open)
                        throw source.Error(pos, $"unexpected '{op}'");
                }
                tokens.Add(new Token(TokenKind.Operator, op, pos));
                pos += op.Length;
            }
        }
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static int LexNumber(SourceText source, int pos, List<Token> tokens)
    {
        var s = source.Text;
        var start = pos;
        pos = Digits(s, pos);
        var isFloat = false;
        // After "." (as in foo.0.1) Jinja2 only lexes integers, so "0.1" there is two subscripts, not a float.
        var afterDot = tokens.Count > 0 && tokens[^1].Is(TokenKind.Operator, ".");
        if (!afterDot && pos + 1 < s.Length && s[pos] == '.' && char.IsAsciiDigit(s[pos + 1]))
        {
            pos = Digits(s, pos + 1);
            isFloat = true;
        }
        if (!afterDot && pos < s.Length && s[pos] is 'e' or 'E')
        {
            var p = pos + 1;
            if (p < s.Length && s[p] is '+' or '-')
                p++;
            if (p < s.Length && char.IsAsciiDigit(s[p]))
            {
                pos = Digits(s, p);
                isFloat = true;
            }
        }
        tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, s[start..pos].Replace("_", ""), start));
        return pos;
    }

    private static int Digits(string s, int pos)
    {
        while (pos < s.Length && (char.IsAsciiDigit(s[pos]) || (s[pos] == '_' && pos + 1 < s.Length && char.IsAsciiDigit(s[pos + 1]))))
            pos++;
        return pos;
    }

    /// <summary>A quoted string with Python's escapes (Jinja2 decodes literals with "unicode-escape").</summary>
    private static int LexString(SourceText source, int pos, List<Token> tokens)
    {
        var s = source.Text;
        var quote = s[pos];
        var sb = new StringBuilder();
        var i = pos + 1;
        while (true)
        {
            if (i >= s.Length)
                throw source.Error(pos, "unterminated string literal");
            var c = s[i];
            if (c == quote)
                break;
            if (c != '\\' || i + 1 >= s.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }
            var e = s[i + 1];
            i += 2;
            switch (e)
            {
                case '\n': break; // backslash-newline is a line continuation
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': i = AppendHexEscape(source, s, i, 2, sb); break;
                case 'u': i = AppendHexEscape(source, s, i, 4, sb); break;
                case 'U': i = AppendHexEscape(source, s, i, 8, sb); break;
                case >= '0' and <= '7':
                    var value = e - '0';
                    for (var n = 0; n < 2 && i < s.Length && s[i] is >= '0' and <= '7'; n++, i++)
                        value = value * 8 + (s[i] - '0');
                    sb.Append((char)value);
                    break;
                default: sb.Append('\\').Append(e); break; // Python keeps unknown escapes as written
            }
        }
        tokens.Add(new Token(TokenKind.String, sb.ToString(), pos));
        return i + 1;
    }

    private static int AppendHexEscape(SourceText source, string s, int i, int digits, StringBuilder sb)
    {
        if (i + digits > s.Length || !int.TryParse(s.AsSpan(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF || s.AsSpan(i, digits).ContainsAny('+', '-'))
            throw source.Error(i - 2, $"invalid \\{s[i - 1]} escape in string literal");
        sb.Append(char.ConvertFromUtf32(code is >= 0xD800 and <= 0xDFFF ? 0xFFFD : code));
        return i + digits;
    }
}
