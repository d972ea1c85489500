namespace ChatPlatform.Core.Import;

/// <summary>
/// The lines of a UTF-8 stream as byte slices (without the line break, '\r' kept), numbered from 1. A slice is valid
/// until the next one is read; memory is bounded by the longest line.
/// </summary>
internal static class Utf8Lines
{
    public static IEnumerable<(ReadOnlyMemory<byte> Line, long Number)> Read(Stream stream)
    {
        var buffer = new ReadBuffer(stream);
        while (true)
        {
            var newline = buffer.Available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var number = buffer.Line;
                var line = buffer.Slice(0, newline);
                buffer.Consume(newline + 1);   // the bytes stay in place until the next Fill
                yield return (line, number);
                continue;
            }
            if (buffer.AtEnd)
            {
                if (buffer.Available.Length > 0) yield return (buffer.Slice(0, buffer.Available.Length), buffer.Line);
                yield break;
            }
            buffer.Fill();
        }
    }
}
