using System.Text;

namespace ChatPlatform.Core.Import;

/// <summary>
/// RFC 4180 records from a text stream, one at a time: comma-separated, fields optionally in double quotes, a quote
/// inside quotes doubled, line breaks (LF or CRLF) allowed inside quotes. A quote in the middle of an unquoted field
/// is kept as text. Reports the 1-based line on which each record starts.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    readonly char[] buffer = new char[32 * 1024];
    readonly StringBuilder field = new();
    int position, length;
    long line = 1;

    /// <summary>The line the last record (or the failed attempt) started on.</summary>
    public long RecordStartLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    /// <exception cref="RecordException">A quoted field is never closed (it ran to the end of the file).</exception>
    public bool TryRead(List<string> fields, out long startLine)
    {
        fields.Clear();
        startLine = RecordStartLine = line;
        if (Peek() < 0) return false;
        while (true)
        {
            field.Clear();
            int c;
            if (Peek() == '"')
            {
                Next();
                while (true)
                {
                    c = Next();
                    if (c < 0) throw new RecordException($"a quoted field opened on line {startLine} is never closed");
                    if (c == '"')
                    {
                        if (Peek() == '"') { Next(); field.Append('"'); continue; }
                        break;
                    }
                    field.Append((char)c);
                }
                // Text between the closing quote and the next separator is kept rather than lost.
                while ((c = Peek()) >= 0 && c is not (',' or '\n' or '\r')) field.Append((char)Next());
            }
            else
            {
                while ((c = Peek()) >= 0 && c is not (',' or '\n' or '\r')) field.Append((char)Next());
            }
            fields.Add(field.ToString());
            c = Next();
            if (c == ',') continue;
            if (c == '\r' && Peek() == '\n') Next();
            return true;
        }
    }

    int Peek()
    {
        if (position == length)
        {
            length = reader.Read(buffer, 0, buffer.Length);
            position = 0;
            if (length <= 0) { length = 0; return -1; }
        }
        return buffer[position];
    }

    int Next()
    {
        var c = Peek();
        if (c < 0) return c;
        position++;
        if (c == '\n') line++;
        return c;
    }
}
