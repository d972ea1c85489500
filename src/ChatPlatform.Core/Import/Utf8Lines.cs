namespace ChatPlatform.Core.Import;

/// <summary>
/// The lines of a UTF-8 stream as byte slices (without the line break, '\r' kept), numbered from 1. A slice is valid
/// until the next one is read; memory is bounded by the longest line.
/// </summary>
internal static class Utf8Lines
{
    public static IEnumerable<(ReadOnlyMemory<byte> Line, long Number)> Read(Stream stream)
    {
        var data = new byte[64 * 1024];
        int start = 0, end = 0;
        long number = 0;
        var atEnd = false;
        var first = true;
        while (true)
        {
            var newline = data.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                number++;
                var line = data.AsMemory(start, newline);
                if (first && line.Span.StartsWith("\xEF\xBB\xBF"u8)) line = line[3..];
                first = false;
                start += newline + 1;
                yield return (line, number);
                continue;
            }
            if (atEnd)
            {
                if (end > start)
                {
                    number++;
                    var line = data.AsMemory(start, end - start);
                    if (first && line.Span.StartsWith("\xEF\xBB\xBF"u8)) line = line[3..];
                    yield return (line, number);
                }
                yield break;
            }
            if (start > 0)
            {
                Buffer.BlockCopy(data, start, data, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == data.Length) Array.Resize(ref data, data.Length * 2);
            var read = stream.Read(data, end, data.Length - end);
            if (read == 0) atEnd = true;
            end += read;
        }
    }
}
