using ChatPlatform.Torch;

namespace ChatPlatform.Cli;

/// <summary>Checks every command makes before it uses the engine.</summary>
internal static class EngineStartup
{
    /// <summary>Warns on stderr when libtorch runs on the reference BLAS (matmul ~25x slower).</summary>
    public static BlasInfo CheckBlas()
    {
        var blas = BlasInfo.Detect();
        if (blas.Warning is { } warning) Console.Error.WriteLine($"warning: {warning}");
        return blas;
    }
}
