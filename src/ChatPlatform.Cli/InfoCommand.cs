using System.CommandLine;
using ChatPlatform.Torch;

namespace ChatPlatform.Cli;

/// <summary>`chatplatform info`: the engine this machine runs on (libtorch, BLAS, threads, CUDA).</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the tensor engine's configuration: libtorch, BLAS, threads and CUDA devices.");
        command.SetAction(_ =>
        {
            var blas = EngineStartup.CheckBlas();
            Console.WriteLine($"libtorch        {torch.LibTorchVersion}");
            Console.WriteLine($"BLAS            {blas.Kind} ({blas.LibraryPath ?? "linked into libtorch"})");
            Console.WriteLine($"intra-op threads {torch.get_num_threads()}");
            Console.WriteLine($"inter-op threads {torch.get_num_interop_threads()}");
            Console.WriteLine($"CUDA            {(torch.cuda.is_available() ? $"{torch.cuda.device_count()} device(s)" : "not available")}");
            return 0;
        });
        return command;
    }
}
