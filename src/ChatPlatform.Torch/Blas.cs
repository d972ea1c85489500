namespace ChatPlatform.Torch;

/// <summary>Which BLAS library libtorch's matmul runs on, read from the process's own memory map.</summary>
public sealed record BlasInfo(string Kind, string? LibraryPath)
{
    /// <summary>
    /// Debian's libtorch calls the system libblas.so.3: the reference BLAS unless OpenBLAS is installed, and the
    /// reference one is ~25x slower for matmul (7 vs ~190 GFLOPS at n=1024 on 2 cores).
    /// </summary>
    public bool IsSlowReference => Kind == "reference";

    public string? Warning => IsSlowReference
        ? $"libtorch is using the reference BLAS ({LibraryPath}): matmul is ~25x slower. Install libopenblas0-pthread (scripts/setup.sh does)."
        : null;

    public static BlasInfo Detect()
    {
        _ = torch.LibTorchVersion;  // make sure libtorch (and the BLAS it links) is loaded
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return new BlasInfo("unknown", null);
        string? found = null;
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..];
            var file = Path.GetFileName(path);
            if (file.StartsWith("libopenblas", StringComparison.Ordinal) || file.StartsWith("libmkl", StringComparison.Ordinal) ||
                file.StartsWith("libblas.so", StringComparison.Ordinal) || file.StartsWith("libblis", StringComparison.Ordinal))
            {
                found = path;
                if (!file.StartsWith("libblas.so", StringComparison.Ordinal)) break;  // a named implementation is conclusive
            }
        }
        if (found is null) return new BlasInfo("builtin", null);  // e.g. a pytorch.org libtorch with MKL linked statically
        var kind = found.Contains("openblas", StringComparison.Ordinal) ? "openblas"
            : found.Contains("mkl", StringComparison.Ordinal) ? "mkl"
            : found.Contains("blis", StringComparison.Ordinal) ? "blis"
            : found.Contains("/blas/", StringComparison.Ordinal) ? "reference"
            : "unknown";
        return new BlasInfo(kind, found);
    }
}
