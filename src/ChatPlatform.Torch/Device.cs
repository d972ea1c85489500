namespace ChatPlatform.Torch;

/// <summary>Device kinds; the values are c10::DeviceType's.</summary>
public enum DeviceType
{
    CPU = 0,
    CUDA = 1,
}

/// <summary>A device: a kind and an index (-1 = the current device of that kind).</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA);

    /// <summary>Parses "cpu", "cuda" or "cuda:N" (the spelling used in configuration and on the command line).</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return CPU;
        if (t == "cuda") return CUDA;
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var i) && i >= 0)
            return new Device(DeviceType.CUDA, i);
        throw new FormatException($"unknown device '{text}': expected cpu, cuda or cuda:N");
    }

    public override string ToString() =>
        Type == DeviceType.CPU ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}
