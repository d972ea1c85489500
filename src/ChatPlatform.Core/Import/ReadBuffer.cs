namespace ChatPlatform.Core.Import;

/// <summary>A byte window over the stream: consumed bytes are dropped, the rest moved to the front on refill.</summary>
internal sealed class ReadBuffer
{
    readonly Stream stream;
    byte[] data = new byte[64 * 1024];
    int start, end;

    public ReadBuffer(Stream stream)
    {
        this.stream = stream;
        Fill();
        if (Available.StartsWith("\xEF\xBB\xBF"u8)) start += 3;
    }

    public bool AtEnd { get; private set; }

    /// <summary>1-based line of the first unconsumed byte.</summary>
    public long Line { get; private set; } = 1;

    public ReadOnlySpan<byte> Available => data.AsSpan(start, end - start);

    public ReadOnlyMemory<byte> Slice(int offset, int length) => data.AsMemory(start + offset, length);

    public long LineAt(int offset) => Line + data.AsSpan(start, offset).Count((byte)'\n');

    public void Consume(int count)
    {
        Line += data.AsSpan(start, count).Count((byte)'\n');
        start += count;
    }

    public void Fill()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(data, start, data, 0, end - start);
            end -= start;
            start = 0;
        }
        // A record larger than the buffer grows it; memory is bounded by the largest record, not the file.
        if (end == data.Length) Array.Resize(ref data, data.Length * 2);
        var read = stream.Read(data, end, data.Length - end);
        if (read == 0) AtEnd = true;
        end += read;
    }
}
