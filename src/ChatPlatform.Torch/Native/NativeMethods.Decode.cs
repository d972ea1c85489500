using System.Runtime.InteropServices;

namespace ChatPlatform.Torch.Native;

/// <summary>Mirrors native/include/cs_decode.h.</summary>
internal static unsafe partial class NativeMethods
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct LinearDesc
    {
        public IntPtr Weight;
        public IntPtr Bias;
        public IntPtr LoraA;
        public IntPtr LoraB;
        public double LoraScale;
    }

    [LibraryImport(Lib)]
    internal static partial int cs_llama_decode_layer(IntPtr hidden, IntPtr inputNorm, IntPtr postNorm, double eps,
        LinearDesc* projections, IntPtr qNorm, IntPtr kNorm, IntPtr cos, IntPtr sin, IntPtr kCache, IntPtr vCache,
        long slot, IntPtr keyPadding, long heads, long kvHeads, int oneSequence, double* matmulSeconds);
}
